import { Type } from 'class-transformer';
import { IsObject, IsOptional, IsString, Length } from 'class-validator';
import { AnnotationVersionsQueryDto } from './dto/annotations.dto';
import { AnnotationException } from './annotation.exception';
import { TargetRef } from './annotations.service';

// The gRPC requests: what REST takes from the path, in the message.

export class AnnotationTargetRequestDto {
  @IsOptional() @IsString() @Length(1, 64) asset_id?: string;
  @IsOptional() @IsString() @Length(1, 1024) field?: string;
  @IsOptional() @IsString() @Length(1, 64) datasource_id?: string;
  @IsOptional() @IsString() @Length(1, 255) namespace?: string;
}

export class UpdateAnnotationsRequestDto extends AnnotationTargetRequestDto {
  @IsOptional() @IsString() @Length(1, 32) if_match?: string;
  @IsObject() patch: Record<string, unknown>;
}

export class ListAnnotationVersionsRequestDto extends AnnotationVersionsQueryDto {
  @IsString() @Length(1, 64) asset_id: string;
}

export class TagGroupIdRequestDto {
  @Type(() => String) @IsString() @Length(1, 64) id: string;
}

export function targetRefOf(r: AnnotationTargetRequestDto): TargetRef {
  if (r.asset_id) return { assetId: r.asset_id, field: r.field };
  if (r.datasource_id) return { dataSourceId: r.datasource_id, namespace: r.namespace };
  throw AnnotationException.invalid(
    'Give asset_id (with field for a field) or datasource_id (with namespace for a namespace)',
  );
}
