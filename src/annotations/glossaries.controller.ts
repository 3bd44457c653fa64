import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Requires } from '../auth/decorators';
import { Permission } from '../auth/permissions';
import { ApiErrors } from '../common/http/api-errors.decorator';
import {
  CreateGlossaryDto,
  CreateTermDto,
  GlossaryDto,
  GlossaryListDto,
  TermAssetListDto,
  TermDto,
  UpdateTermDto,
} from './dto/glossary.dto';
import { GlossariesService } from './glossaries.service';

/** Glossaries and their terms; `{term}` is a term id or qualified name (Glossary.Parent.Term). */
@ApiTags('Annotations')
@ApiBearerAuth()
@ApiErrors(400, 401, 403, 429)
@Controller('glossaries')
export class GlossariesController {
  constructor(private readonly glossaries: GlossariesService) {}

  @Requires(Permission.AnnotationsRead)
  @Get()
  @ApiOkResponse({ type: GlossaryListDto })
  list(): Promise<GlossaryListDto> {
    return this.glossaries.list();
  }

  @Requires(Permission.AnnotationDefinitionsWrite)
  @Post()
  @ApiCreatedResponse({ type: GlossaryDto })
  @ApiErrors(409)
  create(@Body() dto: CreateGlossaryDto): Promise<GlossaryDto> {
    return this.glossaries.create(dto);
  }

  @Requires(Permission.AnnotationsRead)
  @Get('terms/:term')
  @ApiOkResponse({ type: TermDto })
  @ApiErrors(404)
  term(@Param('term') term: string): Promise<TermDto> {
    return this.glossaries.term(term);
  }

  @Requires(Permission.AnnotationDefinitionsWrite)
  @Patch('terms/:term')
  @ApiOperation({
    summary: 'Change a term: description, synonyms, related terms, owners, status (draft, approved, deprecated)',
  })
  @ApiOkResponse({ type: TermDto })
  @ApiErrors(404)
  updateTerm(@Param('term') term: string, @Body() dto: UpdateTermDto): Promise<TermDto> {
    return this.glossaries.updateTerm(term, dto);
  }

  @Requires(Permission.AnnotationDefinitionsWrite)
  @Delete('terms/:term')
  @HttpCode(200)
  @ApiOperation({ summary: 'Delete a term and its children (409 while linked to an asset or field)' })
  @ApiErrors(404, 409)
  async removeTerm(@Param('term') term: string): Promise<{ success: true }> {
    await this.glossaries.removeTerm(term);
    return { success: true };
  }

  @Requires(Permission.AnnotationsRead)
  @Get('terms/:term/assets')
  @ApiOperation({ summary: 'The assets and fields linked to the term' })
  @ApiOkResponse({ type: TermAssetListDto })
  @ApiErrors(404)
  assets(@Param('term') term: string): Promise<TermAssetListDto> {
    return this.glossaries.assetsOf(term);
  }

  @Requires(Permission.AnnotationsRead)
  @Get(':id')
  @ApiOkResponse({ type: GlossaryDto })
  @ApiErrors(404)
  get(@Param('id') id: string): Promise<GlossaryDto> {
    return this.glossaries.get(id);
  }

  @Requires(Permission.AnnotationDefinitionsWrite)
  @Delete(':id')
  @HttpCode(200)
  @ApiErrors(404, 409)
  async remove(@Param('id') id: string): Promise<{ success: true }> {
    await this.glossaries.remove(id);
    return { success: true };
  }

  @Requires(Permission.AnnotationDefinitionsWrite)
  @Post(':id/terms')
  @ApiOperation({ summary: 'Add a term (under `parent` for a hierarchy)' })
  @ApiCreatedResponse({ type: TermDto })
  @ApiErrors(404, 409)
  createTerm(@Param('id') id: string, @Body() dto: CreateTermDto): Promise<TermDto> {
    return this.glossaries.createTerm(id, dto);
  }
}
