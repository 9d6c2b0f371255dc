#!/usr/bin/env bash
# Writes the seed corpus of fuzz_jwt (corpus/fuzz_jwt/): session tokens signed with the fuzzer's secret
# (FUZZ_SECRET in fuzz_jwt.cpp) with valid and broken claims, mutations of them, and the `!` and `?`
# inputs that the target signs itself. The fixture's clock stands at 1767225600 (2026-01-01) and its
# one user has id 1. Run it again when the secret or the token format changes.
set -euo pipefail
secret=captrack-fuzz-secret-0123456789abcdef
out=$(cd "$(dirname "$0")" && pwd)/corpus/fuzz_jwt
mkdir -p "$out"

b64url() { base64 -w0 | tr '+/' '-_' | tr -d '='; }
part() { printf '%s' "$1" | b64url; }
sign() { printf '%s' "$1" | openssl dgst -sha256 -hmac "$secret" -binary | b64url; }
# token HEADER PAYLOAD: a JWT signed with the secret.
token() {
    local input
    input="$(part "$1").$(part "$2")"
    printf '%s.%s' "$input" "$(sign "$input")"
}
write() { printf '%s' "$2" > "$out/$1"; }

header='{"alg":"HS256","typ":"JWT"}'
claims() { printf '{"exp":%s,"iat":1767225600,"iss":"%s","sub":%s}' "$1" "${3:-captrack}" "$2"; }
valid=$(token "$header" "$(claims 1767254400 '"1"')")

write valid "$valid"
write valid-until-2100 "$(token "$header" "$(claims 4102444800 '"1"')")"
write bad-signature "${valid%?}A"
write no-signature "${valid%.*}."
write two-parts "${valid%.*}"
write four-parts "$valid.$(sign x)"
write padded "${valid}=="
write alg-none "$(part '{"alg":"none","typ":"JWT"}').$(part "$(claims 4102444800 '"1"')")."
write alg-hs512 "$(token '{"alg":"HS512","typ":"JWT"}' "$(claims 4102444800 '"1"')")"
write expired "$(token "$header" "$(claims 1767225599 '"1"')")"
write expires-now "$(token "$header" "$(claims 1767225600 '"1"')")"
write exp-string "$(token "$header" "$(claims '"4102444800"' '"1"')")"
write exp-fraction "$(token "$header" "$(claims 4102444800.5 '"1"')")"
write exp-true "$(token "$header" "$(claims true '"1"')")"
write exp-huge "$(token "$header" "$(claims 99999999999999999999 '"1"')")"
write no-exp "$(token "$header" '{"iss":"captrack","sub":"1"}')"
write other-issuer "$(token "$header" "$(claims 4102444800 '"1"' other)")"
write sub-number "$(token "$header" "$(claims 4102444800 1)")"
write sub-zero "$(token "$header" "$(claims 4102444800 '"0"')")"
write sub-negative "$(token "$header" "$(claims 4102444800 '"-1"')")"
write sub-unknown "$(token "$header" "$(claims 4102444800 '"2"')")"
write sub-plus "$(token "$header" "$(claims 4102444800 '"+1"')")"
write sub-huge "$(token "$header" "$(claims 4102444800 '"9223372036854775808"')")"
write payload-array "$(token "$header" '[1]')"
write header-not-json "$(token 'HS256' "$(claims 4102444800 '"1"')")"
write api-token "ct_0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
write api-token-short "ct_"
write sign-valid "!$header"$'\n'"$(claims 4102444800 '"1"')"
write sign-alg-none '!{"alg":"none"}'$'\n'"$(claims 4102444800 '"1"')"
write sign-no-alg "!{}"$'\n'"$(claims 4102444800 '"1"')"
write sign-exp-fraction "!$header"$'\n'"$(claims 4102444800.5 '"1"')"
write sign-exp-negative "!$header"$'\n'"$(claims -1 '"1"')"
write sign-duplicate-keys "!$header"$'\n''{"exp":1,"exp":4102444800,"iss":"captrack","sub":"1","sub":"2"}'
write sign-nested "!$header"$'\n''{"exp":4102444800,"iss":"captrack","sub":{"id":"1"}}'
write sign-raw "?$(part "$header").$(part "$(claims 4102444800 '"1"')")"
write sign-raw-padded "?$(part "$header")==.$(part "$(claims 4102444800 '"1"')")"
write sign-raw-std-base64 "?$(printf '%s' "$header" | base64 -w0).$(printf '%s' "$(claims 4102444800 '"1"')" | base64 -w0)"
