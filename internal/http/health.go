package http

import (
	"context"
	"io/fs"
	"net/http"
	"sort"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/tsunagu-org/tsunagu/web"
)

func (s *Server) registerStatic(r *gin.Engine) {
	sub, _ := fs.Sub(web.Static, "static")
	fileServer := http.StripPrefix("/static/", http.FileServer(http.FS(filesOnly{sub})))
	r.GET("/static/*path", func(c *gin.Context) {
		c.Header("Cache-Control", "public, max-age=86400")
		fileServer.ServeHTTP(c.Writer, c.Request)
	})
}

func (s *Server) registerHealth(r *gin.Engine) {
	r.GET("/healthz", s.handleHealthz)
	r.GET("/readyz", s.handleReadyz)
}

// handleHealthz handles GET /healthz: the process is alive.
func (s *Server) handleHealthz(c *gin.Context) {
	c.JSON(http.StatusOK, gin.H{"status": "ok"})
}

// handleReadyz handles GET /readyz: PostgreSQL, Redis and the index are
// reachable; 503 naming the failing part otherwise.
func (s *Server) handleReadyz(c *gin.Context) {
	ctx, cancel := context.WithTimeout(c.Request.Context(), 3*time.Second)
	defer cancel()
	names := make([]string, 0, len(s.Ready))
	for n := range s.Ready {
		names = append(names, n)
	}
	sort.Strings(names)
	checks := gin.H{}
	var failing []string
	for _, n := range names {
		if err := s.Ready[n](ctx); err != nil {
			s.Log.Warn("readiness check failed", "check", n, "err", err)
			checks[n] = "unavailable"
			failing = append(failing, n)
		} else {
			checks[n] = "ok"
		}
	}
	if len(failing) > 0 {
		c.JSON(http.StatusServiceUnavailable, gin.H{"status": "unavailable", "failing": failing, "checks": checks})
		return
	}
	c.JSON(http.StatusOK, gin.H{"status": "ok", "checks": checks})
}

// filesOnly is a file system whose folders do not exist, so the file
// server lists no folder of /static.
type filesOnly struct{ fs.FS }

func (f filesOnly) Open(name string) (fs.File, error) {
	file, err := f.FS.Open(name)
	if err != nil {
		return nil, err
	}
	if st, err := file.Stat(); err != nil || st.IsDir() {
		file.Close()
		return nil, fs.ErrNotExist
	}
	return file, nil
}
