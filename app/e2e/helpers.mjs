import { chromium } from 'playwright-core'
import { join } from 'node:path'
import { APP } from './stack.mjs'

const ARTIFACTS = join(APP, 'test-artifacts')

/** Debian's Chromium, headless, with the flags this machine needs (no downloaded browsers). */
export function launchChromium() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  })
}

/** A new browser context with a phone-sized or desktop viewport; page errors fail loudly in the log. */
export async function newPage(browser, { viewport = { width: 1280, height: 900 } } = {}) {
  const context = await browser.newContext({ viewport })
  const page = await context.newPage()
  page.on('pageerror', (error) => process.stderr.write(`[page exception] ${error.stack ?? error}\n`))
  page.on('console', (message) => {
    if (message.type() === 'error' || message.type() === 'warning') {
      process.stderr.write(`[page console ${message.type()}] ${message.text()}\n`)
    }
  })
  return page
}

export async function screenshot(page, artifacts, name) {
  await page.screenshot({ path: join(artifacts, `${name}.png`), fullPage: true })
}

/**
 * Waits until every gasless step in `scope` is final (confirmed or failed, or refused before it was queued) and
 * there are `count` of them, then returns their statuses and texts, so the assertion shows what went wrong.
 */
export async function finishedSteps(scope, count, timeout = 90_000) {
  const steps = scope.locator('[data-testid=tx-step]')
  const deadline = Date.now() + timeout
  for (;;) {
    const statuses = await steps.evaluateAll((nodes) => nodes.map((n) => n.getAttribute('data-status')))
    const anyFailed = statuses.includes('failed')
    if (anyFailed || (statuses.length === count && statuses.every((s) => s === 'confirmed'))) {
      const texts = await steps.allInnerTexts()
      return { statuses, texts }
    }
    if (Date.now() > deadline) {
      const texts = await steps.allInnerTexts()
      await scope.page().screenshot({ path: join(ARTIFACTS, `stuck-${Date.now()}.png`), fullPage: true })
      throw new Error(`steps not final after ${timeout} ms: ${JSON.stringify({ statuses, texts })}`)
    }
    await scope.page().waitForTimeout(200)
  }
}

/** Polls `read` until `accept(value)`; returns the value (a wait, not an assertion: the caller asserts on it). */
export async function eventually(read, accept, { timeout = 30_000, what = 'condition' } = {}) {
  const deadline = Date.now() + timeout
  let value
  for (;;) {
    value = await read()
    if (accept(value)) return value
    if (Date.now() > deadline) throw new Error(`${what} not reached in ${timeout} ms; last value: ${String(value)}`)
    await new Promise((r) => setTimeout(r, 250))
  }
}
