import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Max, Min } from 'class-validator';

export const MAX_PAGE_SIZE = 100;
/** Keeps the row offset an exact integer every store takes (a 20-digit page is a 400, not a 500). */
export const MAX_PAGE = 10_000_000;

/** `page` 1…10,000,000 (default 1) and `page_size` 1…100 (default 20); out of range is a 400, never clamped. */
export class PageQueryDto {
  @ApiPropertyOptional({ minimum: 1, maximum: MAX_PAGE, default: 1 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(MAX_PAGE)
  page?: number;

  @ApiPropertyOptional({ minimum: 1, maximum: MAX_PAGE_SIZE, default: 20 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(MAX_PAGE_SIZE)
  page_size?: number;
}

export interface PageRequest {
  page: number;
  pageSize: number;
  skip: number;
}

export function pageRequest(q: PageQueryDto): PageRequest {
  const page = q.page ?? 1;
  const pageSize = q.page_size ?? 20;
  return { page, pageSize, skip: (page - 1) * pageSize };
}

/** `{<key>: items, total, page, page_size}` as the seed's lists name them. */
export function pageOf<K extends string, T>(
  key: K,
  items: T[],
  total: number,
  p: PageRequest,
): Record<K, T[]> & { total: number; page: number; page_size: number } {
  return { [key]: items, total, page: p.page, page_size: p.pageSize } as Record<K, T[]> & {
    total: number;
    page: number;
    page_size: number;
  };
}
