import { WrittenAnnotations } from './catalog-annotations.port';
import { AssetDetailDto, DescriptionDto } from './dto/asset.dto';

export const NO_ANNOTATIONS: WrittenAnnotations = {
  version: 0,
  description: null,
  tags: [],
  owners: [],
  terms: [],
  certification: null,
  properties: {},
  updated_by: null,
  updated_at: null,
};

/** The source's comment and the written description side by side, each saying where it came from. */
export function descriptionsOf(comment: string | null, written: WrittenAnnotations): DescriptionDto[] {
  const out: DescriptionDto[] = [];
  if (comment) out.push({ origin: 'source', text: comment });
  if (written.description)
    out.push({
      origin: 'annotation',
      text: written.description,
      updated_by: written.updated_by,
      updated_at: written.updated_at,
    });
  return out;
}

/** An asset read with what people wrote merged in beside what the collection found. */
export function withWrittenAnnotations(
  detail: Omit<AssetDetailDto, 'descriptions' | 'annotations'>,
  written: { asset: WrittenAnnotations; fields: Map<string, WrittenAnnotations> } | null,
): AssetDetailDto {
  const own = written?.asset ?? NO_ANNOTATIONS;
  return {
    ...detail,
    fields: detail.fields.map((f) => {
      const w = written?.fields.get(f.path ?? f.name) ?? NO_ANNOTATIONS;
      return { ...f, descriptions: descriptionsOf(f.comment, w), annotations: w };
    }),
    descriptions: descriptionsOf(detail.comment, own),
    annotations: own,
  };
}
