import type { AssetProfile } from '@app/connectors';
import type { AssetKey } from './catalog-annotations.port';

/**
 * Told of every profile the catalog stores (written metadata suggests tags from it). Optional: a
 * catalog used alone has none. An observer's failure never fails the profile.
 */
export const PROFILE_OBSERVER = Symbol('PROFILE_OBSERVER');

export interface ProfileObserver {
  profiled(asset: AssetKey, profile: AssetProfile, executionId: string): Promise<void>;
}
