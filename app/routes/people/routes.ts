// Routes of the people area (paths are absolute; files relative to app/).
import type { RouteConfigEntry } from '@react-router/dev/routes'

export const peopleRoutes: RouteConfigEntry[] = []
