import { IsObject, IsString, Length } from 'class-validator';
import { PageQueryDto } from '../common/http/pagination';

// The gRPC requests: what REST takes from the path or the body, in the message.

export class ReceiveEventRequestDto {
  @IsObject() event: Record<string, unknown>;
}

export class ListJobRunsRequestDto extends PageQueryDto {
  @IsString() @Length(1, 64) id: string;
}
