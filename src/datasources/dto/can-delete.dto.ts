import { ApiProperty } from '@nestjs/swagger';

export class DependentDto {
  @ApiProperty({ example: 'tasks' }) kind: string;
  @ApiProperty({ example: 'task-01j9…' }) id: string;
  @ApiProperty({ example: 'daily-collection' }) name: string;
}

export class CanDeleteDto {
  @ApiProperty() can_delete: boolean;
  @ApiProperty({ type: [DependentDto], description: 'What blocks the delete' }) dependents: DependentDto[];
  @ApiProperty({ example: 'Data source "x" is used by 1 tasks: daily (task-1)' }) message: string;
}
