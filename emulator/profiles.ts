/** Simulated LINE users, served by GET /v2/bot/profile/{userId}. */
import { USER_ID, newUserId } from './ids';
import type { UserProfile, UserProfileInput } from './types';

export class InvalidUserError extends Error {
  override readonly name = 'InvalidUserError';
  constructor(
    message: string,
    readonly input: unknown,
  ) {
    super(message);
  }
}

export class Profiles {
  private readonly users = new Map<string, UserProfile>();

  add(u: UserProfileInput): string {
    if (typeof u.displayName !== 'string' || u.displayName.trim() === '') {
      throw new InvalidUserError('displayName is required', u);
    }
    const userId = u.userId ?? newUserId();
    if (!USER_ID.test(userId)) throw new InvalidUserError(`userId must be U + 32 lowercase hex, got '${userId}'`, u);
    // LINE omits the fields a user has not set (or, for language, not consented to share): so do we.
    const profile: UserProfile = { userId, displayName: u.displayName };
    if (u.language !== undefined) profile.language = u.language;
    if (u.pictureUrl !== undefined) profile.pictureUrl = u.pictureUrl;
    if (u.statusMessage !== undefined) profile.statusMessage = u.statusMessage;
    this.users.set(userId, profile);
    return userId;
  }

  get(userId: string): UserProfile | undefined {
    return this.users.get(userId);
  }

  list(): UserProfile[] {
    return [...this.users.values()];
  }
}
