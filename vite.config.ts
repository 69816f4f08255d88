import { reactRouter } from '@react-router/dev/vite'
import tailwindcss from '@tailwindcss/vite'
import { defineConfig } from 'vite'

export default defineConfig(({ isSsrBuild }) => ({
  // the server build's entry is our Express app, which imports React Router's server build (node-custom-server template)
  build: isSsrBuild ? { rollupOptions: { input: './app/server/app.server.ts' } } : undefined,
  plugins: [tailwindcss(), reactRouter()],
}))
