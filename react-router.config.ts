import type { Config } from '@react-router/dev/config'

export default {
  ssr: true,
  appDirectory: 'app',
  // a separate build directory lets several builds (e.g. parallel test runs) coexist
  buildDirectory: process.env.PARTNERLOG_BUILD_DIR ?? 'build',
  future: {
    // Loaders and actions get the request as it came, not a copy per loader: the root's and the page's loader then
    // share one lookup of the signed-in user (auth.server.ts keys it by request), and no request is copied twice per
    // loader. Their `url` argument is the page's URL without the data-request details; use it, not request.url.
    v8_passThroughRequests: true,
    // React Router 8's other changes are not adopted yet; said explicitly so that each build does not warn about them
    v8_middleware: false,
    v8_splitRouteModules: false,
    v8_viteEnvironmentApi: false,
    v8_trailingSlashAwareDataRequests: false,
  },
} satisfies Config
