// Unit tests of the app's pure logic (src/**/*.test.ts); the browser tests in e2e/ run under node --test instead.
import { defineConfig, mergeConfig } from 'vitest/config'
import viteConfig from './vite.config.ts'

export default mergeConfig(viteConfig, defineConfig({ test: { include: ['src/**/*.test.ts'], environment: 'node' } }))
