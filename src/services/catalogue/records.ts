import type { Configuration, Product, ReleaseWithDocuments } from "../../contract/catalogue.ts";
import type {
  CatalogueRepository,
  DistributionWithRelease,
  StoredRelease,
} from "../../db/repositories/catalogue.ts";
import { notFound } from "../../domain/errors.ts";

export const releaseNotFound = (id: string) =>
  notFound("release_not_found", `There is no release ${id}.`, { release: id });

export const distributionNotFound = (id: string) =>
  notFound("distribution_not_found", `There is no distribution ${id}.`);

/** The catalogue's look-ups that answer a missing record with its not-found problem; every part reads through these. */
export function catalogueRecords(catalogue: CatalogueRepository) {
  return {
    async requireConfiguration(code: string): Promise<Configuration> {
      const configuration = await catalogue.findConfiguration(code);
      if (!configuration)
        throw notFound("configuration_not_found", `There is no configuration ${code}.`, {
          configuration: code,
        });
      return configuration;
    },

    /** A product, or product_not_found; for the use cases that name one outside the catalogue. */
    async requireProduct(code: string): Promise<Product> {
      const product = await catalogue.findProduct(code);
      if (!product) throw notFound("product_not_found", `There is no product ${code}.`, { product: code });
      return product;
    },

    /** A release's row, without its files and documents. */
    async requireRelease(id: string): Promise<StoredRelease> {
      const release = await catalogue.findRelease(id);
      if (!release) throw releaseNotFound(id);
      return release;
    },

    async getRelease(id: string): Promise<ReleaseWithDocuments> {
      const release = await catalogue.findReleaseWithFiles(id);
      if (!release) throw releaseNotFound(id);
      return release;
    },

    /** A configuration's release of this version (the one spelling versions are stored in), with files and documents. */
    async getReleaseOfVersion(configuration: string, version: string): Promise<ReleaseWithDocuments> {
      const release = await catalogue.findReleaseWithFilesOfVersion(configuration, version);
      if (!release) {
        throw notFound("release_not_found", `There is no release ${configuration} ${version}.`, {
          configuration,
          version,
        });
      }
      return release;
    },

    async getDistribution(id: string): Promise<DistributionWithRelease> {
      const distribution = await catalogue.findDistribution(id);
      if (!distribution) throw distributionNotFound(id);
      return distribution;
    },
  };
}

export type CatalogueRecords = ReturnType<typeof catalogueRecords>;
