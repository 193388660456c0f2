// Code to connect to an app: pusher-js in the browser, an official Pusher server library on the
// backend. Host, port and TLS come from the address of this page (the dashboard, the WebSockets and
// the HTTP API share one origin unless the operator split them).

/** Where clients and servers reach Vask, from a Location: { host, port, tls }. */
export function endpoint(location) {
  const tls = location.protocol === 'https:';
  const port = Number.parseInt(location.port, 10) || (tls ? 443 : 80);
  return { host: location.hostname, port, tls };
}

/** A single-quoted string literal (JavaScript, PHP, Python): keys and ids are plain, but be exact. */
function quoted(value) {
  return `'${String(value).replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

/** A double-quoted string literal (Go, Java). */
function doubleQuoted(value) {
  return `"${String(value).replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

/** pusher-js, pointed at this Vask instead of a Pusher cluster. */
export function clientSnippet({ key, host, port, tls }) {
  const portLine = tls ? `  wssPort: ${port},` : `  wsPort: ${port},`;
  return [
    "import Pusher from 'pusher-js';",
    '',
    `const pusher = new Pusher(${quoted(key)}, {`,
    `  wsHost: ${quoted(host)},`,
    portLine,
    `  forceTLS: ${tls},`,
    "  enabledTransports: ['ws', 'wss'],",
    "  cluster: 'vask', // pusher-js requires one; wsHost makes it unused",
    '});',
    '',
    "const channel = pusher.subscribe('my-channel');",
    "channel.bind('my-event', (data) => {",
    "  console.log('my-event', data);",
    '});',
  ].join('\n');
}

/** The official server libraries, each with its Pusher-compatible host settings. */
export const serverSnippets = [
  {
    id: 'node',
    label: 'Node.js',
    install: 'npm install pusher',
    build: ({ appId, key, secret, host, port, tls }) => [
      "const Pusher = require('pusher');",
      '',
      'const pusher = new Pusher({',
      `  appId: ${quoted(appId)},`,
      `  key: ${quoted(key)},`,
      `  secret: ${quoted(secret)},`,
      `  host: ${quoted(host)},`,
      `  port: ${quoted(port)},`,
      `  useTLS: ${tls},`,
      '});',
      '',
      "pusher.trigger('my-channel', 'my-event', { message: 'hello world' });",
    ].join('\n'),
  },
  {
    id: 'php',
    label: 'PHP',
    install: 'composer require pusher/pusher-php-server',
    build: ({ appId, key, secret, host, port, tls }) => [
      '<?php',
      "require __DIR__ . '/vendor/autoload.php';",
      '',
      `$pusher = new Pusher\\Pusher(${quoted(key)}, ${quoted(secret)}, ${quoted(appId)}, [`,
      `    'host' => ${quoted(host)},`,
      `    'port' => ${port},`,
      `    'scheme' => ${quoted(tls ? 'https' : 'http')},`,
      `    'useTLS' => ${tls},`,
      ']);',
      '',
      "$pusher->trigger('my-channel', 'my-event', ['message' => 'hello world']);",
    ].join('\n'),
  },
  {
    id: 'laravel',
    label: 'Laravel',
    install: 'composer require pusher/pusher-php-server',
    note: "Laravel's pusher broadcasting connection (config/broadcasting.php) reads these from .env.",
    build: ({ appId, key, secret, host, port, tls }) => [
      `PUSHER_APP_ID=${appId}`,
      `PUSHER_APP_KEY=${key}`,
      `PUSHER_APP_SECRET=${secret}`,
      `PUSHER_HOST=${host}`,
      `PUSHER_PORT=${port}`,
      `PUSHER_SCHEME=${tls ? 'https' : 'http'}`,
    ].join('\n'),
  },
  {
    id: 'python',
    label: 'Python',
    install: 'pip install pusher',
    build: ({ appId, key, secret, host, port, tls }) => [
      'import pusher',
      '',
      'pusher_client = pusher.Pusher(',
      `    app_id=${quoted(appId)},`,
      `    key=${quoted(key)},`,
      `    secret=${quoted(secret)},`,
      `    host=${quoted(host)},`,
      `    port=${port},`,
      `    ssl=${tls ? 'True' : 'False'},`,
      ')',
      '',
      "pusher_client.trigger('my-channel', 'my-event', {'message': 'hello world'})",
    ].join('\n'),
  },
  {
    id: 'go',
    label: 'Go',
    install: 'go get github.com/pusher/pusher-http-go/v5',
    build: ({ appId, key, secret, host, port, tls }) => [
      'package main',
      '',
      'import "github.com/pusher/pusher-http-go/v5"',
      '',
      'func main() {',
      '\tclient := pusher.Client{',
      `\t\tAppID:  ${doubleQuoted(appId)},`,
      `\t\tKey:    ${doubleQuoted(key)},`,
      `\t\tSecret: ${doubleQuoted(secret)},`,
      `\t\tHost:   ${doubleQuoted(`${host}:${port}`)},`,
      `\t\tSecure: ${tls},`,
      '\t}',
      '\tclient.Trigger("my-channel", "my-event", map[string]string{"message": "hello world"})',
      '}',
    ].join('\n'),
  },
  {
    id: 'java',
    label: 'Java',
    install: 'com.pusher:pusher-http-java',
    build: ({ appId, key, secret, host, port, tls }) => [
      'import com.pusher.rest.Pusher;',
      'import java.util.Map;',
      '',
      `Pusher pusher = new Pusher(${doubleQuoted(appId)}, ${doubleQuoted(key)}, ${doubleQuoted(secret)});`,
      `pusher.setHost(${doubleQuoted(`${host}:${port}`)});`,
      `pusher.setEncrypted(${tls});`,
      '',
      'pusher.trigger("my-channel", "my-event", Map.of("message", "hello world"));',
    ].join('\n'),
  },
];
