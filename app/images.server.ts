// Uploaded images: real format and dimensions read from the header before any pixel is decoded, logos re-encoded small.
import sharp from 'sharp'

/** the most pixels any uploaded image may have; sharp refuses to decode more (limitInputPixels) */
export const MAX_INPUT_PIXELS = 40_000_000
/** stored logos fit inside this square */
export const LOGO_BOX = 512
/** logos drawn into a PDF fit inside this square (the cover draws them about one inch wide) */
export const PDF_LOGO_BOX = 256

export class ImageRefused extends Error {
  override readonly name = 'ImageRefused'
}

export type ImageInfo = { format: 'png' | 'jpeg' | 'webp'; width: number; height: number }
export type EncodedImage = { bytes: Uint8Array; width: number; height: number; contentType: 'image/png' }

const megapixels = (pixels: number) => `${Math.round(pixels / 100_000) / 10} megapixels`

/** PNG, JPEG or WebP within MAX_INPUT_PIXELS, read from the header only; else ImageRefused */
export async function inspectImage(bytes: Uint8Array, what = 'The image'): Promise<ImageInfo> {
  let meta: sharp.Metadata
  try {
    // header only: the pixel limit is ours below, with a message naming the size
    meta = await sharp(bytes, { limitInputPixels: false }).metadata()
  } catch {
    throw new ImageRefused(`${what} could not be read as an image. Upload a PNG or JPEG file.`)
  }
  const { format, width, height } = meta
  if ((format !== 'png' && format !== 'jpeg' && format !== 'webp') || !width || !height) throw new ImageRefused(`${what} must be a PNG or JPEG image.`)
  if (width * height > MAX_INPUT_PIXELS)
    throw new ImageRefused(`${what} is ${width} × ${height} pixels (${megapixels(width * height)}); the limit is ${megapixels(MAX_INPUT_PIXELS)}. Scale it down, e.g. to 1024 × 1024 pixels, and upload it again.`)
  return { format, width, height }
}

/** the image re-encoded as PNG inside a box×box square, upright, without metadata (EXIF, ICC, text) */
export async function boundedPng(bytes: Uint8Array, box: number, what = 'The image'): Promise<EncodedImage> {
  await inspectImage(bytes, what)
  try {
    // sharp decodes and encodes on libuv's thread pool: the event loop stays free
    const { data, info } = await sharp(bytes, { limitInputPixels: MAX_INPUT_PIXELS, failOn: 'error' })
      .rotate()
      .resize(box, box, { fit: 'inside', withoutEnlargement: true })
      .png({ compressionLevel: 9 })
      .toBuffer({ resolveWithObject: true })
    return { bytes: new Uint8Array(data), width: info.width, height: info.height, contentType: 'image/png' }
  } catch {
    throw new ImageRefused(`${what} could not be read as an image. Upload a PNG or JPEG file.`)
  }
}

/** an uploaded logo as stored: checked, then at most LOGO_BOX pixels wide and high */
export const normaliseLogo = (bytes: Uint8Array) => boundedPng(bytes, LOGO_BOX, 'The logo')
