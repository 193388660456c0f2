// Calls one method of the official Node.js server SDK (npm 'pusher') against Vask and prints what came
// back as JSON: {status, body} for HTTP calls (errors included), {value} for local ones such as signing.
//   node sdk.js '<constructor options as JSON>' <method> '<arguments as a JSON array>'
const Pusher = require('pusher');

const [options, method, args] = [JSON.parse(process.argv[2]), process.argv[3], JSON.parse(process.argv[4] || '[]')];
const pusher = new Pusher({ ...options, useTLS: false });

(async () => {
  let answer;
  try {
    const result = await pusher[method](...args);
    answer = result && typeof result.text === 'function'
      ? { status: result.status, body: await result.text() }
      : { value: result };
  } catch (error) {
    if (error.status === undefined) throw error; // not an HTTP answer: let the test see the failure
    answer = { status: error.status, body: error.body };
  }
  process.stdout.write(JSON.stringify(answer));
})().catch((error) => {
  console.error(error);
  process.exit(1);
});
