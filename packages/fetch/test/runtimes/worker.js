import { createApp } from './app.js'

let app
export default {
  fetch(request, env) {
    app ??= createApp(JSON.parse(env.CONFIG))
    return app(request)
  },
}
