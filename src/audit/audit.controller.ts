import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { ApiErrors } from '../common/http/api-errors.decorator';
import { Requires } from '../auth/decorators';
import { Permission } from '../auth/permissions';
import { ListAuditLogsQueryDto } from './audit.dto';
import { AuditService } from './audit.service';

@ApiTags('Audit')
@ApiBearerAuth()
@ApiErrors(400, 401, 403, 429)
@Controller('audit-logs')
export class AuditController {
  constructor(private readonly audit: AuditService) {}

  @Requires(Permission.AuditRead)
  @Get()
  list(@Query() q: ListAuditLogsQueryDto) {
    return this.audit.list(q);
  }
}
