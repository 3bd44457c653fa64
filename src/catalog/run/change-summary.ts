/**
 * What a collection run changed in the catalog. Field counts cover every field-level change of
 * the run: the fields of added and removed assets as well as those added, removed or altered in
 * altered assets.
 */
export interface ChangeSummary {
  assets_added: number;
  assets_removed: number;
  assets_altered: number;
  assets_unchanged: number;
  fields_added: number;
  fields_removed: number;
  fields_altered: number;
}

export const emptySummary = (): ChangeSummary => ({
  assets_added: 0,
  assets_removed: 0,
  assets_altered: 0,
  assets_unchanged: 0,
  fields_added: 0,
  fields_removed: 0,
  fields_altered: 0,
});

export interface RunProgress {
  /** Assets the connector reported, read or skipped as unchanged. */
  assetsSeen: number;
  /** Assets whose shape was written (added, altered or back again). */
  assetsWritten: number;
  /** Fields of the assets read. */
  fieldsSeen: number;
}
