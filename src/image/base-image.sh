#!/usr/bin/env bash
# Builds a Java 17 base image as a Docker-format tar from Debian's own packages, with no Docker daemon and no
# container registry: the guard image can then be built from it with
#   mvn package jib:buildTar@guard -Dimage.base=tar://$PWD/target/debian-jre17.tar
# Real deployments use the default base, eclipse-temurin:17-jre; this is for machines that reach no registry.
# Needs apt-get (Debian or Ubuntu of the same release as the packages wanted), dpkg-deb and python3.
set -euo pipefail

out=${1:-target/debian-jre17.tar}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# The JRE and what its native code and ONNX Runtime's and RocksDB's link against; bash for health checks.
packages=(openjdk-17-jre-headless libc6 libgcc-s1 gcc-12-base libstdc++6 zlib1g bash libtinfo6)

echo "downloading ${packages[*]}" >&2
(cd "$work" && apt-get download "${packages[@]}" >/dev/null)
mkdir -p "$work/rootfs"
for deb in "$work"/*.deb; do
  dpkg-deb -x "$deb" "$work/rootfs"
done
root="$work/rootfs"
mkdir -p "$root/tmp" "$root/etc" "$root/proc" "$root/sys" "$root/dev"
chmod 1777 "$root/tmp"
java_home=$(cd "$root" && ls -d usr/lib/jvm/java-17-openjdk-* | head -1)
cat > "$root/etc/passwd" <<'PASSWD'
root:x:0:0:root:/root:/bin/bash
nonroot:x:65532:65532:nonroot:/tmp:/usr/sbin/nologin
PASSWD
cat > "$root/etc/group" <<'GROUP'
root:x:0:
nonroot:x:65532:
GROUP

python3 - "$root" "$out" "/$java_home" <<'PY'
import hashlib, io, json, os, sys, tarfile
root, out, java_home = sys.argv[1], sys.argv[2], sys.argv[3]
layer = io.BytesIO()
with tarfile.open(fileobj=layer, mode="w", format=tarfile.PAX_FORMAT) as t:
    for name in sorted(os.listdir(root)):
        t.add(os.path.join(root, name), arcname=name, filter=lambda i: (setattr(i, "mtime", 0), i)[1])
data = layer.getvalue()
diff_id = "sha256:" + hashlib.sha256(data).hexdigest()
config = json.dumps({
    "architecture": "amd64", "os": "linux",
    "config": {"Env": ["PATH=" + java_home + "/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
                       "JAVA_HOME=" + java_home]},
    "rootfs": {"type": "layers", "diff_ids": [diff_id]},
}).encode()
manifest = json.dumps([{"Config": "config.json", "RepoTags": ["ncguard/debian-jre17:local"],
                        "Layers": ["layer.tar"]}]).encode()
os.makedirs(os.path.dirname(os.path.abspath(out)), exist_ok=True)
with tarfile.open(out + ".part", mode="w") as t:
    for name, blob in (("layer.tar", data), ("config.json", config), ("manifest.json", manifest)):
        info = tarfile.TarInfo(name)
        info.size = len(blob)
        t.addfile(info, io.BytesIO(blob))
os.replace(out + ".part", out)
print("base image: %s (%.0f MB)" % (out, os.path.getsize(out) / 1e6), file=sys.stderr)
PY
