import { Response } from 'express';
import { FindOptionsWhere, In } from 'typeorm';
import { stringify as toYaml } from 'yaml';
import { TransferFormat } from './transfer.dto';

export interface RenderedExport<D> {
  format: TransferFormat;
  document: D;
  /** The YAML text; absent for JSON, which the framework serialises. */
  text?: string;
}

export function renderExport<D>(document: D, format: TransferFormat = 'json'): RenderedExport<D> {
  return format === 'yaml' ? { format, document, text: toYaml(document) } : { format, document };
}

/** The controller's answer: the document as JSON, or the YAML text with its content type. */
export function exportResponse<D>(out: RenderedExport<D>, res: Response): D | string {
  if (out.text === undefined) return out.document;
  res.type('application/yaml');
  return out.text;
}

/** The rows an export request names: by ids, by type, or all. */
export function exportWhere<R>(request: { ids?: string[]; type?: string }): FindOptionsWhere<R> {
  return {
    ...(request.ids ? { id: In(request.ids) } : {}),
    ...(request.type ? { type: request.type } : {}),
  } as FindOptionsWhere<R>;
}
