// Measures whether a page fits its viewport: what sticks out sideways (a phone scrolls it) and what its box cuts off.
import type { Page } from 'playwright-core'

export type Misfit = { what: string; left: number; right: number; width: number }
export type Fit = {
  /** document.documentElement.scrollWidth: more than the viewport's width means the page scrolls sideways */
  scrollWidth: number
  viewport: number
  /** elements whose visible part reaches past the viewport's edge, those causing it first (no descendant reaching as far) */
  outside: Misfit[]
  /** elements with overflow hidden or clip whose content is wider than their box, cut off without an ellipsis */
  clipped: (Misfit & { scrollWidth: number; clientWidth: number })[]
}

/** Measures the page as it is laid out now (run in the page: no imports, no closures). */
function measure(): Fit {
  const viewport = document.documentElement.clientWidth
  const describe = (el: Element) => {
    const id = el.id ? `#${el.id}` : ''
    const classes = typeof el.className === 'string' && el.className.trim() ? `.${el.className.trim().split(/\s+/).slice(0, 4).join('.')}` : ''
    const text = (el.textContent ?? '').replace(/\s+/g, ' ').trim().slice(0, 50)
    return `<${el.tagName.toLowerCase()}${id}${classes}>${text ? ` "${text}"` : ''}`
  }
  const clips = (style: CSSStyleDeclaration) => style.overflowX !== 'visible'
  const styles = new Map<Element, CSSStyleDeclaration>()
  const styleOf = (el: Element) => styles.get(el) ?? styles.set(el, getComputedStyle(el)).get(el)!
  const outside: (Misfit & { el: Element })[] = []
  const clipped: Fit['clipped'] = []
  for (const el of document.body.querySelectorAll('*')) {
    const rect = el.getBoundingClientRect()
    if (rect.width === 0 || rect.height === 0) continue
    const style = styleOf(el)
    if (style.visibility === 'hidden') continue
    // what of it shows: cut by the boxes that clip or scroll sideways on its way up its containing blocks (an absolute
    // element, such as a visually hidden label, escapes every box up to a positioned one; a fixed one escapes all)
    let { left, right } = rect
    let position = style.position
    for (let a = el.parentElement; a && a !== document.body && position !== 'fixed'; a = a.parentElement) {
      const s = styleOf(a)
      if (position === 'absolute' && s.position === 'static' && s.transform === 'none') continue
      if (clips(s)) {
        const r = a.getBoundingClientRect()
        left = Math.max(left, r.left)
        right = Math.min(right, r.right)
      }
      position = s.position
    }
    if (right <= left) continue
    // wholly left of the page is hidden on purpose (a honeypot field); partly left of it is cut off
    if (right > viewport + 0.5 || (left < -0.5 && right > 0)) outside.push({ el, what: describe(el), left: Math.round(left), right: Math.round(right), width: Math.round(rect.width) })
    const formControl = /^(INPUT|SELECT|TEXTAREA|BUTTON)$/.test(el.tagName)
    // a visually hidden element (the sr-only pattern) clips by design; an ellipsis shows that text goes on
    const srOnly = rect.width <= 1 && rect.height <= 1
    if (!formControl && !srOnly && style.textOverflow !== 'ellipsis' && (style.overflowX === 'hidden' || style.overflowX === 'clip') && el.scrollWidth > el.clientWidth + 1) {
      clipped.push({ what: describe(el), left: Math.round(left), right: Math.round(right), width: Math.round(rect.width), scrollWidth: el.scrollWidth, clientWidth: el.clientWidth })
    }
  }
  // those that escape their parent's box come first: a table or a long word wider than its card, not the card it stretches
  const escapes = (o: { el: Element; left: number; right: number }) => {
    const parent = o.el.parentElement?.getBoundingClientRect()
    return !!parent && (o.right > parent.right + 0.5 || o.left < parent.left - 0.5)
  }
  const reach = (o: { left: number; right: number }) => Math.max(o.right - viewport, -o.left)
  outside.sort((a, b) => Number(escapes(b)) - Number(escapes(a)) || b.width - a.width || reach(b) - reach(a))
  return { scrollWidth: document.documentElement.scrollWidth, viewport, outside: outside.map(({ el: _el, ...rest }) => rest), clipped }
}

/** The page's fit at its current viewport. */
export async function fitOf(page: Page): Promise<Fit> {
  // compiled with esbuild's keepNames (tsx), measure's inner functions call a __name helper the page lacks
  await page.evaluate('globalThis.__name ??= (f) => f')
  return page.evaluate(measure)
}

/** What a test reports of a page that does not fit: the widest offending element first (empty when it fits). */
export function misfits(label: string, fit: Fit, options: { clipping?: boolean } = {}): string[] {
  const problems: string[] = []
  if (fit.scrollWidth > fit.viewport || fit.outside.length) {
    const widest = fit.outside[0]
    problems.push(`${label}: ${fit.scrollWidth} px wide in a ${fit.viewport} px viewport${widest ? `; widest offending element ${widest.what} spans ${widest.left}..${widest.right} px` : ''}${fit.outside.length > 1 ? ` (and ${fit.outside.length - 1} more: ${fit.outside.slice(1, 4).map((o) => o.what).join(', ')})` : ''}`)
  }
  if (options.clipping !== false) {
    for (const c of fit.clipped) problems.push(`${label}: ${c.what} cuts off its content (${c.scrollWidth} px in a ${c.clientWidth} px box)`)
  }
  return problems
}
