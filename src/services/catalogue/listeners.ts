/** Told, after the commit, which configuration's published catalogue changed. */
export type CatalogueChangeListener = (configuration: string) => void | Promise<void>;

/** Who is told of a change to the published catalogue (the update check's cache, the signed metadata). */
export function catalogueListeners() {
  const listeners: CatalogueChangeListener[] = [];
  return {
    onChange(listener: CatalogueChangeListener): void {
      listeners.push(listener);
    },
    /** Tells every listener, one after the other, once the change is committed. */
    async changed(configuration: string): Promise<void> {
      for (const listener of listeners) await listener(configuration);
    },
  };
}
