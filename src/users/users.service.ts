import { Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { randomBytes } from 'node:crypto';
import { IsNull, Repository } from 'typeorm';
import { authConfig, AuthConfig } from '../config/configuration';
import { DomainException } from '../common/errors/domain.exception';
import { ErrorReason } from '../common/errors/error-reason';
import { pageOf, pageRequest } from '../common/http/pagination';
import { newId } from '../common/ids';
import { iso } from '../common/timestamps';
import { RefreshTokenEntity } from '../auth/entities/refresh-token.entity';
import { hashPassword } from '../auth/password-hasher';
import { assertStrongPassword } from '../auth/password-policy';
import { Role } from '../auth/role';
import { CreateUserDto, ListUsersQueryDto, UpdateUserDto, UserDto } from './dto/user.dto';
import { UserEntity } from './user.entity';

export function toUserDto(u: UserEntity): UserDto {
  return {
    id: u.id,
    username: u.username,
    role: u.role,
    disabled: u.disabled,
    created_at: iso(u.createdAt)!,
    updated_at: iso(u.updatedAt)!,
    last_login_at: iso(u.lastLoginAt),
  };
}

@Injectable()
export class UsersService implements OnApplicationBootstrap {
  private readonly logger = new Logger(UsersService.name);

  constructor(
    @InjectRepository(UserEntity) private readonly users: Repository<UserEntity>,
    @InjectRepository(RefreshTokenEntity) private readonly refreshTokens: Repository<RefreshTokenEntity>,
    @Inject(authConfig.KEY) private readonly cfg: AuthConfig,
  ) {}

  /** First start: create the admin, with a generated password printed once when none is configured. */
  async onApplicationBootstrap(): Promise<void> {
    if ((await this.users.count()) > 0) return;
    const generated = !this.cfg.adminPassword;
    const password = this.cfg.adminPassword ?? randomBytes(12).toString('base64url');
    await this.insert(this.cfg.adminUsername, password, Role.Admin);
    if (generated) {
      // Printed once, on purpose, so the operator can log in; never logged again.
      process.stdout.write(
        `\n  Created admin user "${this.cfg.adminUsername}" with generated password: ${password}\n  Change it (PUT /api/v1/users/{id}) or set ADMIN_PASSWORD before the first start.\n\n`,
      );
    } else {
      this.logger.log(`Created admin user "${this.cfg.adminUsername}" from ADMIN_PASSWORD`);
    }
  }

  findByUsername(username: string): Promise<UserEntity | null> {
    return this.users.findOne({ where: { username } });
  }

  findById(id: string): Promise<UserEntity | null> {
    return this.users.findOne({ where: { id } });
  }

  async markLogin(id: string): Promise<void> {
    await this.users.update({ id }, { lastLoginAt: new Date() });
  }

  async list(q: ListUsersQueryDto) {
    const p = pageRequest(q);
    const [rows, total] = await this.users.findAndCount({
      where: q.role ? { role: q.role } : {},
      order: { createdAt: 'ASC', id: 'ASC' },
      skip: p.skip,
      take: p.pageSize,
    });
    return pageOf('users', rows.map(toUserDto), total, p);
  }

  async get(id: string): Promise<UserDto> {
    return toUserDto(await this.require(id));
  }

  async create(dto: CreateUserDto): Promise<UserDto> {
    assertStrongPassword(dto.password, dto.username);
    if (await this.findByUsername(dto.username))
      throw new DomainException(ErrorReason.UsernameTaken, `User "${dto.username}" already exists`);
    return toUserDto(await this.insert(dto.username, dto.password, dto.role));
  }

  async update(id: string, dto: UpdateUserDto, actorId: string): Promise<UserDto> {
    const user = await this.require(id);
    if (dto.password !== undefined) assertStrongPassword(dto.password, user.username);
    const losesAdmin = user.role === Role.Admin && ((dto.role && dto.role !== Role.Admin) || dto.disabled === true);
    if (losesAdmin) await this.ensureAnotherAdmin(user.id, actorId);
    // A new password, another role or a disabled account ends the user's logins: tokens issued
    // before it carry what no longer holds.
    const endsLogins =
      Boolean(dto.password) || (dto.role !== undefined && dto.role !== user.role) || dto.disabled === true;
    if (dto.password) user.passwordHash = await hashPassword(dto.password);
    if (dto.role) user.role = dto.role;
    if (dto.disabled !== undefined) user.disabled = dto.disabled;
    user.updatedAt = new Date();
    const saved = await this.users.save(user);
    if (endsLogins)
      await this.refreshTokens.update({ userId: user.id, revokedAt: IsNull() }, { revokedAt: new Date() });
    return toUserDto(saved);
  }

  async remove(id: string, actorId: string): Promise<void> {
    const user = await this.require(id);
    if (user.role === Role.Admin) await this.ensureAnotherAdmin(user.id, actorId);
    await this.users.delete({ id });
  }

  private async ensureAnotherAdmin(userId: string, actorId: string): Promise<void> {
    if (userId === actorId)
      throw new DomainException(ErrorReason.OwnAdminRights, 'You cannot remove your own admin rights or account');
    const admins = await this.users.count({ where: { role: Role.Admin, disabled: false } });
    if (admins <= 1)
      throw new DomainException(ErrorReason.LastAdmin, 'The last active admin cannot be removed or demoted');
  }

  private async require(id: string): Promise<UserEntity> {
    const user = await this.findById(id);
    if (!user) throw new DomainException(ErrorReason.UserNotFound, `User ${id} not found`);
    return user;
  }

  private async insert(username: string, password: string, role: Role): Promise<UserEntity> {
    const now = new Date();
    const user = this.users.create({
      id: newId('usr'),
      username,
      passwordHash: await hashPassword(password),
      role,
      disabled: false,
      createdAt: now,
      updatedAt: now,
      lastLoginAt: null,
    });
    return this.users.save(user);
  }
}
