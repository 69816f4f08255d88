// Routes of the funds area (paths are absolute; files relative to app/).
import type { RouteConfigEntry } from '@react-router/dev/routes'

export const fundsRoutes: RouteConfigEntry[] = []
