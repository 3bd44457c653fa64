import { Controller } from '@nestjs/common';
import { GrpcMethod, Payload } from '@nestjs/microservices';
import { CurrentUser, Requires } from '../auth/decorators';
import { Permission } from '../auth/permissions';
import { Principal } from '../auth/role';
import type { SuccessResponse } from '../grpc/generated/metadata/v1/common';
import type {
  CustomProperty,
  Glossary,
  ListCustomPropertiesResponse,
  ListGlossariesResponse,
  ListSuggestionsResponse,
  ListTeamsResponse,
  ListTermAssetsResponse,
  Suggestion,
  Team,
  Term,
} from '../grpc/generated/metadata/v1/curation';
import { CreateTermRequestDto, IdRequestDto, TermRequestDto, UpdateTermRequestDto } from './curation.grpc.dto';
import { CreateCustomPropertyDto, CreateGlossaryDto, CreateTeamDto } from './dto/glossary.dto';
import { GlossariesService } from './glossaries.service';
import { ListSuggestionsQueryDto } from './suggestions/suggestion.dto';
import { SuggestionsService } from './suggestions/suggestions.service';
import { TeamsService } from './teams.service';

const done: SuccessResponse = { success: true };
const SERVICE = 'CurationService';

/** metadata.v1.CurationService: glossaries, terms, teams, custom properties and suggestions, as over REST. */
@Controller()
export class CurationGrpcController {
  constructor(
    private readonly glossaries: GlossariesService,
    private readonly teams: TeamsService,
    private readonly suggestions: SuggestionsService,
  ) {}

  @Requires(Permission.AnnotationsRead)
  @GrpcMethod(SERVICE, 'ListGlossaries')
  listGlossaries(): Promise<ListGlossariesResponse> {
    return this.glossaries.list() as Promise<ListGlossariesResponse>;
  }

  @Requires(Permission.AnnotationsRead)
  @GrpcMethod(SERVICE, 'GetGlossary')
  getGlossary(@Payload() req: IdRequestDto): Promise<Glossary> {
    return this.glossaries.get(req.id) as Promise<Glossary>;
  }

  @Requires(Permission.AnnotationDefinitionsWrite)
  @GrpcMethod(SERVICE, 'CreateGlossary')
  createGlossary(@Payload() dto: CreateGlossaryDto): Promise<Glossary> {
    return this.glossaries.create(dto) as Promise<Glossary>;
  }

  @Requires(Permission.AnnotationDefinitionsWrite)
  @GrpcMethod(SERVICE, 'DeleteGlossary')
  async deleteGlossary(@Payload() req: IdRequestDto): Promise<SuccessResponse> {
    await this.glossaries.remove(req.id);
    return done;
  }

  @Requires(Permission.AnnotationsRead)
  @GrpcMethod(SERVICE, 'GetTerm')
  getTerm(@Payload() req: TermRequestDto): Promise<Term> {
    return this.glossaries.term(req.term) as Promise<Term>;
  }

  @Requires(Permission.AnnotationDefinitionsWrite)
  @GrpcMethod(SERVICE, 'CreateTerm')
  createTerm(@Payload() req: CreateTermRequestDto): Promise<Term> {
    const { glossary, ...dto } = req;
    return this.glossaries.createTerm(glossary, dto) as Promise<Term>;
  }

  @Requires(Permission.AnnotationDefinitionsWrite)
  @GrpcMethod(SERVICE, 'UpdateTerm')
  updateTerm(@Payload() req: UpdateTermRequestDto): Promise<Term> {
    const { term, ...dto } = req;
    return this.glossaries.updateTerm(term, dto) as Promise<Term>;
  }

  @Requires(Permission.AnnotationDefinitionsWrite)
  @GrpcMethod(SERVICE, 'DeleteTerm')
  async deleteTerm(@Payload() req: TermRequestDto): Promise<SuccessResponse> {
    await this.glossaries.removeTerm(req.term);
    return done;
  }

  @Requires(Permission.AnnotationsRead)
  @GrpcMethod(SERVICE, 'ListTermAssets')
  termAssets(@Payload() req: TermRequestDto): Promise<ListTermAssetsResponse> {
    return this.glossaries.assetsOf(req.term) as Promise<ListTermAssetsResponse>;
  }

  @Requires(Permission.AnnotationsRead)
  @GrpcMethod(SERVICE, 'ListTeams')
  listTeams(): Promise<ListTeamsResponse> {
    return this.teams.listTeams() as Promise<ListTeamsResponse>;
  }

  @Requires(Permission.AnnotationDefinitionsWrite)
  @GrpcMethod(SERVICE, 'CreateTeam')
  createTeam(@Payload() dto: CreateTeamDto): Promise<Team> {
    return this.teams.createTeam(dto) as Promise<Team>;
  }

  @Requires(Permission.AnnotationDefinitionsWrite)
  @GrpcMethod(SERVICE, 'DeleteTeam')
  async deleteTeam(@Payload() req: IdRequestDto): Promise<SuccessResponse> {
    await this.teams.removeTeam(req.id);
    return done;
  }

  @Requires(Permission.AnnotationsRead)
  @GrpcMethod(SERVICE, 'ListCustomProperties')
  listProperties(): Promise<ListCustomPropertiesResponse> {
    return this.teams.listProperties() as Promise<ListCustomPropertiesResponse>;
  }

  @Requires(Permission.AnnotationDefinitionsWrite)
  @GrpcMethod(SERVICE, 'CreateCustomProperty')
  createProperty(@Payload() dto: CreateCustomPropertyDto): Promise<CustomProperty> {
    return this.teams.createProperty(dto) as Promise<CustomProperty>;
  }

  @Requires(Permission.AnnotationDefinitionsWrite)
  @GrpcMethod(SERVICE, 'DeleteCustomProperty')
  async deleteProperty(@Payload() req: IdRequestDto): Promise<SuccessResponse> {
    await this.teams.removeProperty(req.id);
    return done;
  }

  @Requires(Permission.AnnotationsRead)
  @GrpcMethod(SERVICE, 'ListSuggestions')
  listSuggestions(@Payload() q: ListSuggestionsQueryDto): Promise<ListSuggestionsResponse> {
    return this.suggestions.list(q) as Promise<ListSuggestionsResponse>;
  }

  @Requires(Permission.AnnotationsWrite)
  @GrpcMethod(SERVICE, 'AcceptSuggestion')
  accept(@Payload() req: IdRequestDto, @CurrentUser() actor: Principal): Promise<Suggestion> {
    return this.suggestions.accept(req.id, actor) as Promise<Suggestion>;
  }

  @Requires(Permission.AnnotationsWrite)
  @GrpcMethod(SERVICE, 'RejectSuggestion')
  reject(@Payload() req: IdRequestDto, @CurrentUser() actor: Principal): Promise<Suggestion> {
    return this.suggestions.reject(req.id, actor) as Promise<Suggestion>;
  }
}
