// After `vite build`: move index.html from src/yigongti/web/assets/ to src/yigongti/web/.
// Django serves that index.html for every console path; the bundle stays in assets/ (served at /static/).
import { existsSync, renameSync, rmSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const webDir = fileURLToPath(new URL('../../src/yigongti/web/', import.meta.url))
const from = join(webDir, 'assets', 'index.html')
const to = join(webDir, 'index.html')

if (!existsSync(from)) {
  console.error(`move-index: ${from} not found; did vite build run?`)
  process.exit(1)
}
rmSync(to, { force: true })
renameSync(from, to)
console.log(`move-index: ${to} (assets in ${join(dirname(from))})`)
