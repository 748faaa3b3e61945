// A TCP echo server for the test image (tests/cluster/cluster.sh build):
// busybox's `nc -ll -e cat` listens with a backlog of one, which resets
// connections when many arrive at once.
module capstan.dev/testcluster/echo

go 1.25.0
