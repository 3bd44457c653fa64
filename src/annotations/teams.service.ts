import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { newId } from '../common/ids';
import { isUniqueViolation } from '../database/store-errors';
import { UsersService } from '../users/users.service';
import { AnnotationException } from './annotation.exception';
import {
  CreateCustomPropertyDto,
  CreateTeamDto,
  CustomPropertyDto,
  CustomPropertyListDto,
  TeamDto,
  TeamListDto,
} from './dto/glossary.dto';
import { AnnotationLabelEntity } from './entities/annotation-label.entity';
import { CustomPropertyDefEntity } from './entities/custom-property-def.entity';
import { TeamEntity } from './entities/team.entity';

/** The smaller definitions annotations refer to: teams (owners) and custom property definitions. */
@Injectable()
export class TeamsService {
  constructor(
    private readonly users: UsersService,
    @InjectRepository(TeamEntity) private readonly teams: Repository<TeamEntity>,
    @InjectRepository(CustomPropertyDefEntity) private readonly defs: Repository<CustomPropertyDefEntity>,
    @InjectRepository(AnnotationLabelEntity) private readonly labels: Repository<AnnotationLabelEntity>,
  ) {}

  async listTeams(): Promise<TeamListDto> {
    return {
      teams: await Promise.all((await this.teams.find({ order: { name: 'ASC' } })).map((t) => this.teamDto(t))),
    };
  }

  async createTeam(dto: CreateTeamDto): Promise<TeamDto> {
    const members: string[] = [];
    for (const name of dto.members) {
      const u = await this.users.findByUsername(name);
      if (!u) throw AnnotationException.unknownReferences('users', [name]);
      members.push(u.id);
    }
    const now = new Date();
    const team: TeamEntity = {
      id: newId('team'),
      name: dto.name,
      description: dto.description ?? null,
      members: [...new Set(members)],
      createdAt: now,
      updatedAt: now,
    };
    try {
      await this.teams.insert(team);
    } catch (err) {
      if (isUniqueViolation(err)) throw AnnotationException.duplicate('Team', dto.name);
      throw err;
    }
    return this.teamDto(team);
  }

  async removeTeam(idOrName: string): Promise<void> {
    const t = await this.teams.findOne({ where: [{ id: idOrName }, { name: idOrName }] });
    if (!t) throw AnnotationException.notFound('Team', idOrName);
    if (await this.labels.exist({ where: { labelKind: 'owner', value: `team:${t.id}` } }))
      throw AnnotationException.inUse('Team', t.name, 'It owns annotated targets; change their owners first.');
    await this.teams.delete({ id: t.id });
  }

  async listProperties(): Promise<CustomPropertyListDto> {
    return { custom_properties: (await this.defs.find({ order: { appliesTo: 'ASC', name: 'ASC' } })).map(propertyDto) };
  }

  async createProperty(dto: CreateCustomPropertyDto): Promise<CustomPropertyDto> {
    if (dto.value_type === 'enum' && !dto.enum_values?.length)
      throw AnnotationException.invalid('An enum property needs enum_values');
    const def: CustomPropertyDefEntity = {
      id: newId('cpd'),
      name: dto.name,
      appliesTo: dto.applies_to,
      valueType: dto.value_type,
      enumValues: dto.value_type === 'enum' ? (dto.enum_values ?? []) : null,
      description: dto.description ?? null,
      createdAt: new Date(),
    };
    try {
      await this.defs.insert(def);
    } catch (err) {
      if (isUniqueViolation(err))
        throw AnnotationException.duplicate('Custom property', `${dto.applies_to}.${dto.name}`);
      throw err;
    }
    return propertyDto(def);
  }

  async removeProperty(id: string): Promise<void> {
    const res = await this.defs.delete({ id });
    if (!res.affected) throw AnnotationException.notFound('Custom property', id);
  }

  private async teamDto(t: TeamEntity): Promise<TeamDto> {
    const names = await Promise.all(t.members.map(async (id) => (await this.users.findById(id))?.username ?? id));
    return { id: t.id, name: t.name, description: t.description, members: names };
  }
}

function propertyDto(d: CustomPropertyDefEntity): CustomPropertyDto {
  return {
    id: d.id,
    name: d.name,
    applies_to: d.appliesTo,
    value_type: d.valueType,
    enum_values: d.enumValues,
    description: d.description,
  };
}
