export { loader, meta, default } from '../vendor/partners.tsx'
