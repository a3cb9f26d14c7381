// A Hub failure said in the user's terms; `openUrl` is a page that fixes it (a gated repo's terms).
export type HubErrorKind =
  | 'signIn' | 'gated' | 'noRepo' | 'noRevision' | 'noFile' | 'rateLimited' | 'badListing' | 'badEndpoint'
  | 'network' | 'integrity' | 'disk' | 'offline' | 'cancelled' | 'noVariant' | 'server';

export class HubError extends Error {
  constructor(readonly kind: HubErrorKind, message: string, readonly openUrl?: string) {
    super(message);
  }
}
