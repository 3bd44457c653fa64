import { IsString, Length } from 'class-validator';

/** The `id` of Get, Delete and the other calls on one resource (REST takes it from the path). */
export class IdRequestDto {
  @IsString()
  @Length(1, 64)
  id: string;
}
