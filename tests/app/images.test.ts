// Uploaded images are judged by their real dimensions before anything decodes them; logos are stored small and bare.
import sharp from 'sharp'
import { describe, expect, test } from 'vitest'
import { ImageRefused, inspectImage, LOGO_BOX, MAX_INPUT_PIXELS, normaliseLogo } from '../../app/images.server.ts'

/** a solid-colour image: tiny files for huge dimensions, as in the 12000 × 12000 PNG */
const solid = (width: number, height: number, format: 'png' | 'jpeg' = 'png') =>
  sharp({ create: { width, height, channels: 3, background: '#1f41b8' } })[format]({ ...(format === 'png' ? { compressionLevel: 9 } : {}) }).toBuffer()

const refusal = (promise: Promise<unknown>) => promise.then(() => null, (error: unknown) => error)

describe('images', () => {
  test('a 12000 × 12000 PNG is refused by its dimensions, with a message naming its size and the limit', async () => {
    const bomb = await solid(12000, 12000)
    expect(bomb.byteLength).toBeLessThan(1024 * 1024)
    // one at a time: a second refusal started before the first is awaited would go unhandled meanwhile
    for (const check of [() => inspectImage(bomb, 'The logo'), () => normaliseLogo(bomb)]) {
      const error = await refusal(check())
      expect(error).toBeInstanceOf(ImageRefused)
      expect((error as Error).message).toBe('The logo is 12000 × 12000 pixels (144 megapixels); the limit is 40 megapixels. Scale it down, e.g. to 1024 × 1024 pixels, and upload it again.')
    }
  })

  test('the largest accepted image is exactly the pixel limit', async () => {
    const side = Math.floor(Math.sqrt(MAX_INPUT_PIXELS))
    expect(await inspectImage(await solid(side, side))).toEqual({ format: 'png', width: side, height: side })
    const over = await refusal(inspectImage(await solid(side + 1, side + 1)))
    expect(over).toBeInstanceOf(ImageRefused)
  })

  test('what is not a PNG, JPEG or WebP image is refused, whatever its name says', async () => {
    const svg = Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><script>alert(1)</script></svg>')
    const gif = await sharp({ create: { width: 4, height: 4, channels: 3, background: '#000' } }).gif().toBuffer()
    for (const bytes of [Buffer.from('not an image'), svg, gif, (await solid(40, 40)).subarray(0, 40)]) {
      const error = await refusal(normaliseLogo(bytes))
      expect(error).toBeInstanceOf(ImageRefused)
      expect((error as Error).message).toMatch(/PNG or JPEG/)
    }
  })

  test('a logo is re-encoded as a PNG inside 512 × 512, upright and without metadata', async () => {
    const photo = await sharp({ create: { width: 3000, height: 1500, channels: 3, background: '#f2b705' } })
      .jpeg()
      .withMetadata({ orientation: 6 })
      .withExifMerge({ IFD0: { Copyright: 'secret camera owner' } })
      .withIccProfile('p3')
      .toBuffer()
    expect(await sharp(photo).metadata()).toMatchObject({ orientation: 6, exif: expect.anything(), icc: expect.anything() })
    expect(photo.includes('secret camera owner')).toBe(true)
    const logo = await normaliseLogo(photo)
    const meta = await sharp(logo.bytes).metadata()
    expect(logo.contentType).toBe('image/png')
    expect(meta.format).toBe('png')
    // orientation 6 turns the wide photo upright: 1500 × 3000, fitted into the box
    expect([meta.width, meta.height]).toEqual([256, 512])
    expect([logo.width, logo.height]).toEqual([256, 512])
    expect(meta.exif).toBeUndefined()
    expect(meta.icc).toBeUndefined()
    expect(Buffer.from(logo.bytes).includes('secret camera owner')).toBe(false)
  })

  test('a small logo keeps its size; the box bounds every side', async () => {
    const small = await normaliseLogo(await solid(120, 40))
    expect([small.width, small.height]).toEqual([120, 40])
    const wide = await normaliseLogo(await solid(6000, 300))
    expect(wide.width).toBe(LOGO_BOX)
    expect(wide.height).toBeLessThanOrEqual(LOGO_BOX)
  })
})
