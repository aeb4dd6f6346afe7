package loadbench

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"
)

// process is a server the benchmark started: a Klientela instance or the
// ceiling handler, on a loopback port, with its output in a log file.
type process struct {
	name string
	url  string // http://127.0.0.1:port
	cmd  *exec.Cmd
	log  *os.File
	done chan error
}

// freeAddr picks a free loopback port.
func freeAddr() (string, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	defer ln.Close()
	return ln.Addr().String(), nil
}

// start runs bin with args (where "{addr}" is replaced by a free loopback
// address), logging to logPath, and waits until GET ready answers.
func start(ctx context.Context, name, logPath, ready string, bin string, args ...string) (*process, error) {
	addr, err := freeAddr()
	if err != nil {
		return nil, err
	}
	for i, a := range args {
		args[i] = strings.ReplaceAll(a, "{addr}", addr)
	}
	f, err := os.Create(logPath)
	if err != nil {
		return nil, err
	}
	cmd := exec.Command(bin, args...)
	cmd.Stdout, cmd.Stderr = f, f
	cmd.Env = cleanEnv()
	if err := cmd.Start(); err != nil {
		f.Close()
		return nil, err
	}
	p := &process{name: name, url: "http://" + addr, cmd: cmd, log: f, done: make(chan error, 1)}
	go func() { p.done <- cmd.Wait() }()
	deadline := time.Now().Add(2 * time.Minute)
	for {
		res, err := http.Get(p.url + ready)
		if err == nil {
			res.Body.Close()
			if res.StatusCode < 500 {
				return p, nil
			}
		}
		select {
		case err := <-p.done:
			f.Close()
			return nil, fmt.Errorf("%s exited before answering (%v); see %s", name, err, logPath)
		case <-ctx.Done():
			p.stop()
			return nil, ctx.Err()
		case <-time.After(50 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			p.stop()
			return nil, fmt.Errorf("%s did not answer %s within 2 minutes; see %s", name, ready, logPath)
		}
	}
}

// cleanEnv is the environment without KLIENTELA_* settings, so that the
// flags alone configure the servers and the seeder.
func cleanEnv() []string {
	var env []string
	for _, e := range os.Environ() {
		if !strings.HasPrefix(e, "KLIENTELA_") {
			env = append(env, e)
		}
	}
	return env
}

// stop ends the process (SIGTERM, then SIGKILL after 20 s) and waits for it.
func (p *process) stop() {
	if p == nil || p.cmd.Process == nil {
		return
	}
	_ = p.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-p.done:
	case <-time.After(20 * time.Second):
		_ = p.cmd.Process.Kill()
		<-p.done
	}
	p.log.Close()
}

// memory reads a process's resident set size and its peak (VmRSS and
// VmHWM of /proc/<pid>/status), in bytes.
func memory(pid int) (rss, hwm int64, err error) {
	f, err := os.Open("/proc/" + strconv.Itoa(pid) + "/status")
	if err != nil {
		return 0, 0, err
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		k, v, ok := strings.Cut(sc.Text(), ":")
		if !ok || (k != "VmRSS" && k != "VmHWM") {
			continue
		}
		fs := strings.Fields(v)
		if len(fs) != 2 || fs[1] != "kB" {
			continue
		}
		n, err := strconv.ParseInt(fs[0], 10, 64)
		if err != nil {
			continue
		}
		if k == "VmRSS" {
			rss = n * 1024
		} else {
			hwm = n * 1024
		}
	}
	if rss == 0 {
		return 0, 0, errors.New("no VmRSS in /proc/" + strconv.Itoa(pid) + "/status")
	}
	return rss, hwm, sc.Err()
}

// rssSampler follows the resident set size of processes every 50 ms and
// keeps the highest sample of each.
type rssSampler struct {
	mu   sync.Mutex
	peak map[int]int64
	stop chan struct{}
	done chan struct{}
}

func sampleRSS(pids ...int) *rssSampler {
	s := &rssSampler{peak: map[int]int64{}, stop: make(chan struct{}), done: make(chan struct{})}
	take := func() {
		s.mu.Lock()
		defer s.mu.Unlock()
		for _, pid := range pids {
			// VmRSS, not VmHWM: the peak of this window, not of the
			// process's life.
			if rss, _, err := memory(pid); err == nil {
				s.peak[pid] = max(s.peak[pid], rss)
			}
		}
	}
	go func() {
		defer close(s.done)
		t := time.NewTicker(50 * time.Millisecond)
		defer t.Stop()
		for {
			take()
			select {
			case <-s.stop:
				take()
				return
			case <-t.C:
			}
		}
	}()
	return s
}

// end stops sampling and returns the highest resident set size of any of
// the processes.
func (s *rssSampler) end() int64 {
	close(s.stop)
	<-s.done
	s.mu.Lock()
	defer s.mu.Unlock()
	var m int64
	for _, v := range s.peak {
		m = max(m, v)
	}
	return m
}
