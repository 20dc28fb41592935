import { createApp } from './app.js'

const app = createApp(JSON.parse(Deno.args[0] ?? '{"clients":[]}'))
Deno.serve(
  { hostname: '127.0.0.1', port: 0, onListen: ({ port }) => console.log(`listening ${port}`) },
  (request, info) => app(request, { clientAddress: info.remoteAddr.hostname }),
)
