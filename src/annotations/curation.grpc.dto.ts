import { Type } from 'class-transformer';
import { IsString, Length } from 'class-validator';
import { CreateTermDto, UpdateTermDto } from './dto/glossary.dto';

// The gRPC requests of CurationService: what REST takes from the path, in the message.

export class IdRequestDto {
  @Type(() => String) @IsString() @Length(1, 128) id: string;
}

export class TermRequestDto {
  @IsString() @Length(1, 1024) term: string;
}

export class CreateTermRequestDto extends CreateTermDto {
  @IsString() @Length(1, 128) glossary: string;
}

export class UpdateTermRequestDto extends UpdateTermDto {
  @IsString() @Length(1, 1024) term: string;
}
