import type { Configuration } from "../../contract/catalogue.ts";
import { Layout } from "../layout.tsx";
import type { ViewContext } from "../view.ts";
import { Breadcrumbs, type Denial, DenialNotice } from "./parts.tsx";

/** A configuration's page the user may not open: the offer to buy and register it, or when access opens. */
export function DeniedPage(props: { view: ViewContext; configuration: Configuration; denial: Denial }) {
  const { view, configuration, denial } = props;
  return (
    <Layout view={view} title={configuration.name}>
      <Breadcrumbs view={view} items={[]} />
      <h1>{configuration.name}</h1>
      <DenialNotice view={view} denial={denial} name={configuration.name} />
    </Layout>
  );
}
