#!/usr/bin/env bash
# Signs and sends a request to Vask's Pusher-compatible HTTP API, the way the official SDKs do.
#
#   export VASK_URL=http://localhost:6001 VASK_APP_ID=100001 VASK_KEY=... VASK_SECRET=...
#   ./vask-api.sh POST /events '{"name":"order.updated","channel":"orders","data":"{\"status\":\"paid\"}"}'
#   ./vask-api.sh GET /channels 'filter_by_prefix=presence-&info=user_count'
#
# POST: the third argument is the JSON body. GET: it is the query string (unencoded values).
set -euo pipefail
method=$1 path=/apps/${VASK_APP_ID}$2 arg=${3:-}
query="auth_key=${VASK_KEY}&auth_timestamp=$(date +%s)&auth_version=1.0"
if [ "$method" = GET ]; then
  [ -n "$arg" ] && query="$query&$arg"
  body=""
else
  body=$arg
  query="$query&body_md5=$(printf '%s' "$body" | openssl dgst -md5 -r | cut -d' ' -f1)"
fi
# the string to sign has the parameters sorted by name, values not URL-encoded
sorted=$(printf '%s' "$query" | tr '&' '\n' | LC_ALL=C sort | paste -sd'&' -)
signature=$(printf '%s\n%s\n%s' "$method" "$path" "$sorted" | openssl dgst -sha256 -hmac "$VASK_SECRET" -r | cut -d' ' -f1)
url="${VASK_URL}${path}?$(printf '%s' "$sorted" | sed 's/,/%2C/g')&auth_signature=${signature}"
if [ "$method" = GET ]; then
  curl -sS -w '\n' "$url"
else
  curl -sS -w '\n' -X "$method" -H 'Content-Type: application/json' --data-binary "$body" "$url"
fi
