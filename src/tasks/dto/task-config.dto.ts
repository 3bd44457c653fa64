import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsInt, IsOptional, Max, Min } from 'class-validator';
import { ScopeGlobs } from './scope-globs.decorator';

const GLOBS = 'Names or `*`/`?` globs, applied at the source';

export class TaskConfigDto {
  @ApiPropertyOptional({
    type: [String],
    example: ['public'],
    description: `Schemas/databases to collect (empty = all). ${GLOBS}`,
  })
  @ScopeGlobs()
  include_schemas?: string[];

  @ApiPropertyOptional({ type: [String], description: `Schemas/databases to skip. ${GLOBS}` })
  @ScopeGlobs()
  exclude_schemas?: string[];

  @ApiPropertyOptional({ type: [String], description: `Tables/assets to collect (empty = all). ${GLOBS}` })
  @ScopeGlobs()
  include_tables?: string[];

  @ApiPropertyOptional({ type: [String], example: ['temp_*'], description: `Tables/assets to skip. ${GLOBS}` })
  @ScopeGlobs()
  exclude_tables?: string[];

  @ApiPropertyOptional({
    example: 1000,
    minimum: 1,
    maximum: 100000,
    description: 'Catalog assets written per transaction (default 1000)',
  })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(100_000)
  batch_size?: number;

  @ApiPropertyOptional({
    example: 3600,
    minimum: 1,
    description: 'Seconds a run may take; past it the run fails with TIMEOUT (default 3600)',
  })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(7 * 24 * 3600)
  timeout?: number;

  @ApiPropertyOptional({
    example: 3,
    minimum: 0,
    maximum: 10,
    description: 'Further attempts after a failure, with exponential back-off (default 0)',
  })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(10)
  retry_count?: number;

  @ApiPropertyOptional({
    example: 10000,
    description: 'data_profile: rows read per table at most; larger tables are sampled (default 10000)',
  })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(100_000_000)
  sample_rows?: number;

  @ApiPropertyOptional({
    example: true,
    description:
      'data_profile: compute top values (never for secret-looking columns; default true). full_collection and ' +
      "incremental_collection: also keep the most common values the source's statistics hold (PostgreSQL pg_stats; default false)",
  })
  @IsOptional()
  @IsBoolean()
  top_values?: boolean;

  @ApiPropertyOptional({ example: 10, description: 'data_profile: how many top values (default 10)' })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(100)
  top_n?: number;
}
