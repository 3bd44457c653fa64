import { ApiProperty } from '@nestjs/swagger';

export class ServiceTokenDto {
  @ApiProperty({ example: 'svc-01jabcdefghjkmnpqrstvwxyz0' }) id: string;
  @ApiProperty({ example: 'dolphinscheduler-callback' }) name: string;
  @ApiProperty({ example: 'tasks:execute', description: 'The only route family the token may call' }) scope: string;
  @ApiProperty({
    nullable: true,
    type: String,
    description: 'The integration that embeds this token while it is its active one',
  })
  active_for: string | null;
  @ApiProperty() created_at: string;
  @ApiProperty({ nullable: true, type: String }) last_used_at: string | null;
  @ApiProperty({ nullable: true, type: String, description: 'Set once revoked: the token is refused from then on' })
  revoked_at: string | null;
}

export class ServiceTokenListDto {
  @ApiProperty({ type: [ServiceTokenDto] }) service_tokens: ServiceTokenDto[];
}
