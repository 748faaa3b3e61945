# Signs one file (the app .exe, the NSIS setup, the MSI) for Tauri's
# bundle.windows.signCommand; see installers/README.md. Tauri passes the file
# as the only argument. The certificate comes from the environment, never
# from the repository:
#   CAPSTAN_SIGN_THUMBPRINT  SHA-1 thumbprint of a code-signing certificate in
#                            the user's or machine's certificate store
#   CAPSTAN_SIGN_TIMESTAMP   RFC 3161 timestamp server URL
#   CAPSTAN_SIGNTOOL         signtool.exe (default: found on PATH)
param([Parameter(Mandatory = $true)][string]$File)
$ErrorActionPreference = "Stop"

foreach ($name in "CAPSTAN_SIGN_THUMBPRINT", "CAPSTAN_SIGN_TIMESTAMP") {
  if (-not [Environment]::GetEnvironmentVariable($name)) {
    throw "$name is not set: see installers/README.md (Windows signing)"
  }
}
$signtool = if ($env:CAPSTAN_SIGNTOOL) { $env:CAPSTAN_SIGNTOOL } else { "signtool.exe" }
& $signtool sign /fd sha256 /sha1 $env:CAPSTAN_SIGN_THUMBPRINT /tr $env:CAPSTAN_SIGN_TIMESTAMP /td sha256 $File
if ($LASTEXITCODE -ne 0) { throw "signtool failed ($LASTEXITCODE) for $File" }
