// The etcd server: etcd's own main package lives in a module that cannot be
// required (it replaces its siblings with local paths), so this calls the
// same entry point.
package main

import (
	"os"

	"go.etcd.io/etcd/server/v3/etcdmain"
)

func main() {
	etcdmain.Main(os.Args)
}
