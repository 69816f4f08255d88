// Where an action sends the user back to: the page of a list (a hidden `returnTo`, see ReturnHere in pager.tsx).
import { safeRedirect } from './redirect.server.ts'

/**
 * Where to go after an action posted from another page, or from a page of a list (a hidden `returnTo`): only a path on
 * this site, with its search parameters and the id of the section it was in (`#claims-title`) if any. Never two
 * slashes first: `//host` would leave the site.
 */
export function returnTo(form: FormData, fallback: string): string {
  const to = form.get('returnTo')
  // the narrower shape of our own list pages first, then the general same-site check
  return typeof to === 'string' && /^\/[a-z0-9/_-]*(\?[a-z0-9_.~%=&+-]*)?(#[a-z][a-z0-9_-]*)?$/i.test(to) ? safeRedirect(to, fallback) : fallback
}
