import type { Config } from '@react-router/dev/config'

export default {
  ssr: true,
  appDirectory: 'app',
  // a separate build directory lets several builds (e.g. parallel test runs) coexist
  buildDirectory: process.env.PARTNERLOG_BUILD_DIR ?? 'build',
} satisfies Config
