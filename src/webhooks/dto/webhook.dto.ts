import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  ArrayNotEmpty,
  ArrayUnique,
  IsArray,
  IsBoolean,
  IsIn,
  IsOptional,
  IsString,
  Length,
  MaxLength,
} from 'class-validator';
import { PageQueryDto } from '../../common/http/pagination';
import { WEBHOOK_EVENT_TYPES, WebhookEventType } from '../webhook-events';
import { WebhookUrl } from './webhook-url.decorator';

export class CreateWebhookDto {
  @ApiProperty({ example: 'ops-alerts' })
  @IsString()
  @Length(1, 128)
  name: string;

  @ApiProperty({ example: 'https://hooks.example.com/metadata' })
  @WebhookUrl()
  url: string;

  @ApiProperty({ enum: WEBHOOK_EVENT_TYPES, isArray: true })
  @IsArray()
  @ArrayNotEmpty()
  @ArrayUnique()
  @IsIn(WEBHOOK_EVENT_TYPES, { each: true })
  events: WebhookEventType[];

  @ApiPropertyOptional({ description: 'Only events about this data source' })
  @IsOptional()
  @IsString()
  @MaxLength(40)
  datasource_id?: string;

  @ApiPropertyOptional({ default: true })
  @IsOptional()
  @IsBoolean()
  active?: boolean;
}

export class UpdateWebhookDto {
  @ApiPropertyOptional() @IsOptional() @IsString() @Length(1, 128) name?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @WebhookUrl()
  url?: string;

  @ApiPropertyOptional({ enum: WEBHOOK_EVENT_TYPES, isArray: true })
  @IsOptional()
  @IsArray()
  @ArrayNotEmpty()
  @ArrayUnique()
  @IsIn(WEBHOOK_EVENT_TYPES, { each: true })
  events?: WebhookEventType[];

  @ApiPropertyOptional({ nullable: true, type: String })
  @IsOptional()
  @IsString()
  @MaxLength(40)
  datasource_id?: string | null;

  @ApiPropertyOptional({ description: 'Re-activating a disabled webhook clears its failure count' })
  @IsOptional()
  @IsBoolean()
  active?: boolean;
}

export class ListDeliveriesQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ enum: ['pending', 'succeeded', 'failed'] })
  @IsOptional()
  @IsIn(['pending', 'succeeded', 'failed'])
  status?: 'pending' | 'succeeded' | 'failed';
}

export class WebhookDto {
  @ApiProperty() id: string;
  @ApiProperty() name: string;
  @ApiProperty() url: string;
  @ApiProperty({ enum: WEBHOOK_EVENT_TYPES, isArray: true }) events: string[];
  @ApiProperty({ nullable: true, type: String }) datasource_id: string | null;
  @ApiProperty() active: boolean;
  @ApiProperty() consecutive_failures: number;
  @ApiProperty({ nullable: true, type: String }) disabled_reason: string | null;
  @ApiProperty() created_at: string;
  @ApiProperty() updated_at: string;
  @ApiPropertyOptional({
    description: 'Only in the answer to create and rotate-secret: store it now, it is never shown again',
  })
  secret?: string;
}

export class DeliveryDto {
  @ApiProperty() id: string;
  @ApiProperty() webhook_id: string;
  @ApiProperty() event_id: string;
  @ApiProperty() event: string;
  @ApiProperty({ enum: ['pending', 'succeeded', 'failed'] }) status: string;
  @ApiProperty({ nullable: true, type: Number }) status_code: number | null;
  @ApiProperty({ nullable: true, type: Number }) latency_ms: number | null;
  @ApiProperty() attempts: number;
  @ApiProperty({ nullable: true, type: String }) next_retry_at: string | null;
  @ApiProperty({ nullable: true, type: String }) last_error: string | null;
  @ApiProperty() created_at: string;
  @ApiProperty({ nullable: true, type: String }) delivered_at: string | null;
}
