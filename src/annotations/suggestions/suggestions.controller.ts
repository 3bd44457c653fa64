import { Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentUser, Requires } from '../../auth/decorators';
import { Permission } from '../../auth/permissions';
import { Principal } from '../../auth/role';
import { ApiErrors } from '../../common/http/api-errors.decorator';
import { ListSuggestionsQueryDto, SuggestionDto, SuggestionListDto } from './suggestion.dto';
import { SuggestionsService } from './suggestions.service';

/** Tags data profiles suggest for fields, for a person to accept or reject. */
@ApiTags('Annotations')
@ApiBearerAuth()
@ApiErrors(400, 401, 403, 404, 429)
@Controller('annotations/suggestions')
export class SuggestionsController {
  constructor(private readonly suggestions: SuggestionsService) {}

  @Requires(Permission.AnnotationsRead)
  @Get()
  @Requires(Permission.AnnotationsRead)
  @ApiOperation({ summary: 'Suggested PII tags (default: pending), most confident first' })
  @ApiOkResponse({ type: SuggestionListDto })
  list(@Query() q: ListSuggestionsQueryDto): Promise<SuggestionListDto> {
    return this.suggestions.list(q);
  }

  @Requires(Permission.AnnotationsWrite)
  @Post(':id/accept')
  @HttpCode(200)
  @ApiOperation({ summary: "Accept: the tag is added to the field's annotations (defined in the PII group if new)" })
  @ApiOkResponse({ type: SuggestionDto })
  @ApiErrors(409)
  accept(@Param('id') id: string, @CurrentUser() actor: Principal): Promise<SuggestionDto> {
    return this.suggestions.accept(id, actor);
  }

  @Requires(Permission.AnnotationsWrite)
  @Post(':id/reject')
  @HttpCode(200)
  @ApiOperation({ summary: 'Reject: the field is not suggested this tag again' })
  @ApiOkResponse({ type: SuggestionDto })
  @ApiErrors(409)
  reject(@Param('id') id: string, @CurrentUser() actor: Principal): Promise<SuggestionDto> {
    return this.suggestions.reject(id, actor);
  }
}
