{{/*
Chart name, overridable with nameOverride.
*/}}
{{- define "vask.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/*
Fully qualified app name, truncated to 63 characters (the DNS label limit).
*/}}
{{- define "vask.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{/*
Chart name and version for the helm.sh/chart label.
*/}}
{{- define "vask.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/*
Selector labels. They are immutable on a Deployment, so they already carry the component: the
single-process Deployment is the "server" component; split roles will get their own components later.
*/}}
{{- define "vask.selectorLabels" -}}
app.kubernetes.io/name: {{ include "vask.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/component: server
{{- end }}

{{/*
Standard labels on every object.
*/}}
{{- define "vask.labels" -}}
helm.sh/chart: {{ include "vask.chart" . }}
{{ include "vask.selectorLabels" . }}
app.kubernetes.io/version: {{ include "vask.imageTag" . | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: vask
{{- end }}

{{/*
Image tag: image.tag, else the chart's appVersion.
*/}}
{{- define "vask.imageTag" -}}
{{- default .Chart.AppVersion (toString .Values.image.tag) | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/*
Full image reference.
*/}}
{{- define "vask.image" -}}
{{- printf "%s:%s" .Values.image.repository (default .Chart.AppVersion (toString .Values.image.tag)) }}
{{- end }}

{{/*
Name of the ServiceAccount the pods run as.
*/}}
{{- define "vask.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "vask.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- default "default" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{/*
Name of the Secret holding VASK_DATABASE_URL, VASK_MASTER_KEY and the optional secret settings:
existingSecret.name, else the chart-created one.
*/}}
{{- define "vask.secretName" -}}
{{- if .Values.existingSecret.name }}
{{- .Values.existingSecret.name }}
{{- else }}
{{- include "vask.fullname" . }}
{{- end }}
{{- end }}

{{/*
The data of the chart-created Secret. It also validates the values the Secret needs, and the Deployment
hashes it into the checksum/secret annotation so a changed secret rolls the pods.
The master key is never generated here: it must stay the same across upgrades.
*/}}
{{- define "vask.secretData" -}}
{{- $databaseUrl := required "database.url is required: set it to your PostgreSQL URL (--set database.url=postgres://user:pass@host:5432/vask), or set existingSecret.name to a Secret you manage" .Values.database.url -}}
{{- $masterKey := required "masterKey is required: set it to base64 of 32 random bytes (--set masterKey=$(openssl rand -base64 32)) and keep it, it encrypts the app secrets at rest; or set existingSecret.name to a Secret you manage" .Values.masterKey -}}
{{- if and $masterKey (ne (len (b64dec $masterKey)) 32) }}
{{- fail "masterKey must be base64 of exactly 32 bytes, e.g. the output of: openssl rand -base64 32" }}
{{- end }}
database-url: {{ $databaseUrl | b64enc | quote }}
master-key: {{ $masterKey | b64enc | quote }}
{{- with .Values.admin.password }}
admin-password: {{ . | b64enc | quote }}
{{- end }}
{{- with .Values.bootstrapApp.secret }}
bootstrap-app-secret: {{ . | b64enc | quote }}
{{- end }}
{{- with .Values.metrics.token }}
{{- if lt (len .) 16 }}
{{- fail "metrics.token must be at least 16 characters, e.g. the output of: openssl rand -hex 32" }}
{{- end }}
metrics-token: {{ . | b64enc | quote }}
{{- end }}
{{- with .Values.redis.url }}
redis-url: {{ . | b64enc | quote }}
{{- end }}
{{- end }}

{{/*
Key names in the Secret: existingSecret.keys for an existing Secret, fixed names for the chart-created one.
Returned as YAML, read with fromYaml.
*/}}
{{- define "vask.secretKeys" -}}
{{- if .Values.existingSecret.name }}
{{- toYaml .Values.existingSecret.keys }}
{{- else }}
databaseUrl: database-url
masterKey: master-key
adminPassword: {{ ternary "admin-password" "" (not (empty .Values.admin.password)) | quote }}
bootstrapAppSecret: {{ ternary "bootstrap-app-secret" "" (not (empty .Values.bootstrapApp.secret)) | quote }}
metricsToken: {{ ternary "metrics-token" "" (not (empty .Values.metrics.token)) | quote }}
redisUrl: {{ ternary "redis-url" "" (not (empty .Values.redis.url)) | quote }}
{{- end }}
{{- end }}

{{/*
The port actuator (probes, metrics) listens on: "management" when managementPort is set, else "http".
*/}}
{{- define "vask.actuatorPort" -}}
{{- ternary "management" "http" (not (empty (toString (.Values.managementPort | default "")))) }}
{{- end }}

{{/*
Labels of the Service the ServiceMonitor scrapes through (the selector labels plus one naming its job).
*/}}
{{- define "vask.managementServiceLabels" -}}
{{ include "vask.selectorLabels" . }}
vask.dev/service: management
{{- end }}

{{/*
Whether cluster mode is on: a Redis URL given, or (with an existing Secret) a key to read it from.
*/}}
{{- define "vask.clustered" -}}
{{- if or .Values.redis.url (and .Values.existingSecret.name .Values.existingSecret.keys.redisUrl) }}true{{- end }}
{{- end }}

{{/*
The Deployments to render, as YAML {components: [{name, roles, replicas}]}: "server" running every role, or one per
role with split.enabled. Fails on settings that need cluster mode without it.
*/}}
{{- define "vask.components" -}}
{{- $clustered := include "vask.clustered" . }}
{{- if and .Values.split.enabled (not $clustered) }}
{{- fail "split.enabled needs cluster mode: set redis.url (or existingSecret.keys.redisUrl) so that the roles share their state" }}
{{- end }}
{{- if and .Values.autoscaling.enabled (not $clustered) }}
{{- fail "autoscaling.enabled needs cluster mode: set redis.url (or existingSecret.keys.redisUrl); single-process pods cannot be more than one" }}
{{- end }}
{{- if and (gt (int .Values.replicaCount) 1) (not .Values.split.enabled) (not $clustered) }}
{{- fail "replicaCount above 1 needs cluster mode: set redis.url (or existingSecret.keys.redisUrl); single-process pods keep their channels in memory and clients on one would miss events published through another" }}
{{- end }}
components:
{{- if .Values.split.enabled }}
  - name: realtime
    roles: realtime
    replicas: {{ int .Values.split.realtime.replicaCount }}
    autoscaled: {{ .Values.autoscaling.enabled }}
  - name: api
    roles: api
    replicas: {{ int .Values.split.api.replicaCount }}
    autoscaled: false
  - name: dashboard
    roles: dashboard
    replicas: {{ int .Values.split.dashboard.replicaCount }}
    autoscaled: false
{{- else }}
  - name: server
    roles: {{ .Values.roles | quote }}
    replicas: {{ int .Values.replicaCount }}
    autoscaled: {{ .Values.autoscaling.enabled }}
{{- end }}
{{- end }}

{{/*
Name of a component's objects: the full name for the one "server" Deployment (unchanged from single-process
installs), else "<fullname>-<component>". Takes (dict "root" $ "component" name).
*/}}
{{- define "vask.componentFullname" -}}
{{- if eq .component "server" }}
{{- include "vask.fullname" .root }}
{{- else }}
{{- printf "%s-%s" (include "vask.fullname" .root | trunc 52 | trimSuffix "-") .component }}
{{- end }}
{{- end }}

{{/*
Selector labels of a component (immutable on its Deployment). Takes (dict "root" $ "component" name).
*/}}
{{- define "vask.componentSelectorLabels" -}}
app.kubernetes.io/name: {{ include "vask.name" .root }}
app.kubernetes.io/instance: {{ .root.Release.Name }}
app.kubernetes.io/component: {{ .component }}
{{- end }}

{{/*
Labels of a component's objects. Takes (dict "root" $ "component" name).
*/}}
{{- define "vask.componentLabels" -}}
helm.sh/chart: {{ include "vask.chart" .root }}
{{ include "vask.componentSelectorLabels" . }}
app.kubernetes.io/version: {{ include "vask.imageTag" .root | quote }}
app.kubernetes.io/managed-by: {{ .root.Release.Service }}
app.kubernetes.io/part-of: vask
{{- end }}
