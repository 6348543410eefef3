/**
 * Debian's Chromium (the `chromium` package), headless, driven by playwright-core — which
 * downloads no browser — for the web client's tests and the browser benchmark.
 * SECINFER_CHROMIUM names another binary.
 */
import { existsSync } from 'node:fs';
import { type Browser, chromium } from 'playwright-core';

const DEBIAN_BINARIES = ['/usr/bin/chromium', '/usr/bin/chromium-browser'];

/** The Chromium binary to drive, or undefined when none is installed. */
export function chromiumPath(): string | undefined {
  return process.env.SECINFER_CHROMIUM || DEBIAN_BINARIES.find((path) => existsSync(path));
}

/** A headless Chromium; without a binary, an error that says how to install one. */
export function launchChromium(): Promise<Browser> {
  const executablePath = chromiumPath();
  if (!executablePath)
    throw new Error(
      "no Chromium: install Debian's `chromium` (apt-get install chromium) or set SECINFER_CHROMIUM",
    );
  // No sandbox: CI runs as root, where Chromium's sandbox refuses to start.
  return chromium.launch({ executablePath, headless: true, args: ['--no-sandbox'] });
}
