#!/usr/bin/env bash
# Records IOMMU events from a real Linux kernel (Debian's linux-image-amd64) doing block DMA through
# an emulated VT-d (QEMU, scalable mode), for `pasidcheck import ftrace` (docs/real-kernel.md).
#   bench/realkernel/record.sh MODE OUT.txt      MODE: strict (iommu.strict=1) or lazy (the default)
# Installs qemu-system-x86, linux-image-amd64, busybox-static and cpio when missing; builds a
# busybox initramfs with the virtio modules; boots the kernel under TCG with a virtio-blk disk
# whose DMA goes through the IOMMU; runs a short workload (direct and buffered reads and writes,
# then the page cache dropped: page frees); writes the raw ftrace text of the events iommu/map,
# iommu/unmap, intel_iommu/qi_submit, kmem/mm_page_alloc and kmem/mm_page_free, with a header
# naming the kernel and its command line. About 10 s per recording on this machine.
set -euo pipefail
[ $# -eq 2 ] || { echo "usage: $0 strict|lazy OUT.txt" >&2; exit 3; }
mode=$1
out=$2
case "$mode" in strict) strict=1 ;; lazy) strict=0 ;; *) echo "record: MODE is strict or lazy, not '$mode'" >&2; exit 3 ;; esac
need=()
command -v qemu-system-x86_64 >/dev/null || need+=(qemu-system-x86)
ls /boot/vmlinuz-* >/dev/null 2>&1 || need+=(linux-image-amd64)
dpkg -s busybox-static >/dev/null 2>&1 || need+=(busybox-static)  # static: the initramfs has no libc
command -v cpio >/dev/null || need+=(cpio)
if [ "${#need[@]}" -gt 0 ]; then
  sudo_cmd=""; [ "$(id -u)" -eq 0 ] || sudo_cmd="sudo"
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -q --no-install-recommends "${need[@]}" >/dev/null ||
    { $sudo_cmd apt-get update -q >/dev/null &&
      DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -q --no-install-recommends "${need[@]}" >/dev/null; }
fi
kernel=$(ls /boot/vmlinuz-* | sort -V | tail -1)
kver=${kernel#/boot/vmlinuz-}
mods=/lib/modules/$kver/kernel/drivers
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
root=$work/root
mkdir -p "$root"/{bin,dev,proc,sys,mod}
cp /bin/busybox "$root/bin/busybox"
# Dependency order: virtio_ring and virtio first, then the PCI transport, then the disk.
for m in virtio/virtio_ring virtio/virtio virtio/virtio_pci_legacy_dev virtio/virtio_pci_modern_dev \
         virtio/virtio_pci block/virtio_blk; do
  f=$mods/$m.ko
  [ -f "$f" ] || f=$(ls "$mods/$m".ko* | head -1)
  case "$f" in *.xz) xz -dc "$f" > "$root/mod/$(basename "$m").ko" ;; *) cp "$f" "$root/mod/$(basename "$m").ko" ;; esac
  echo "$(basename "$m").ko" >> "$root/mod/order"
done
cat > "$root/init" <<'INIT'
#!/bin/busybox sh
/bin/busybox --install -s /bin
mount -t proc proc /proc
mount -t sysfs sys /sys
mount -t devtmpfs dev /dev
mount -t tracefs tracefs /sys/kernel/tracing
for m in $(cat /mod/order); do insmod /mod/$m; done
T=/sys/kernel/tracing
for i in $(seq 50); do [ -b /dev/vda ] && break; sleep 0.1; done
echo 0 > $T/tracing_on
echo 16384 > $T/buffer_size_kb
echo > $T/trace
for e in iommu/map iommu/unmap intel_iommu/qi_submit kmem/mm_page_alloc kmem/mm_page_free; do
  echo 1 > $T/events/$e/enable
done
echo "group: $(cat /sys/kernel/iommu_groups/*/type 2>/dev/null | sort -u | tr '\n' ' ')"
echo 1 > $T/tracing_on
dd if=/dev/vda of=/dev/null bs=16k count=8 iflag=direct 2>/dev/null
dd if=/dev/zero of=/dev/vda bs=16k count=4 seek=64 oflag=direct 2>/dev/null
dd if=/dev/vda of=/dev/null bs=4k count=32 skip=128 2>/dev/null
dd if=/dev/zero of=/dev/vda bs=4k count=8 seek=512 2>/dev/null
sync
echo 3 > /proc/sys/vm/drop_caches
sleep 0.2
echo 0 > $T/tracing_on
echo "===PASIDCHECK-TRACE-BEGIN==="
cat $T/trace
echo "===PASIDCHECK-TRACE-END==="
poweroff -f
INIT
chmod +x "$root/init"
(cd "$root" && find . | cpio -o -H newc --quiet | gzip -1) > "$work/initramfs.gz"
truncate -s 16M "$work/disk.img"
cmdline="console=ttyS0 rdinit=/init intel_iommu=on,sm_on iommu.strict=$strict panic=-1 quiet loglevel=3"
timeout 300 qemu-system-x86_64 -accel tcg -cpu max -machine q35,kernel-irqchip=split \
  -device intel-iommu,intremap=on,x-scalable-mode=on,x-pasid-mode=on \
  -m 512M -smp 1 -nographic -no-reboot -kernel "$kernel" -initrd "$work/initramfs.gz" \
  -append "$cmdline" \
  -drive file="$work/disk.img",if=none,id=d0,format=raw \
  -device virtio-blk-pci,drive=d0,iommu_platform=on,disable-legacy=on > "$work/console.txt" 2>&1 || true
tr -d '\r' < "$work/console.txt" > "$work/console.lf"
grep -q '===PASIDCHECK-TRACE-END===' "$work/console.lf" ||
  { echo "record: the guest did not finish; console:" >&2; tail -30 "$work/console.lf" >&2; exit 4; }
{
  echo "# pasidcheck recording: mode $mode"
  echo "# kernel: Debian linux-image $kver ($(dpkg-query -W -f '${Version}' "linux-image-$kver" 2>/dev/null || echo unknown))"
  echo "# qemu: $(qemu-system-x86_64 --version | head -1)"
  echo "# device: virtio-blk-pci iommu_platform=on; intel-iommu x-scalable-mode=on x-pasid-mode=on"
  echo "# cmdline: $cmdline"
  grep -o 'group: [A-Za-z -]*' "$work/console.lf" | sed 's/^/# iommu /' || true
  sed -n '/===PASIDCHECK-TRACE-BEGIN===/,/===PASIDCHECK-TRACE-END===/p' "$work/console.lf" |
    sed '1d;$d'
} > "$out.tmp"
mv "$out.tmp" "$out"
echo "record: $(grep -vc '^#' "$out") lines to $out"
