package profilehttp

import (
	"github.com/gin-gonic/gin"

	thttp "github.com/tsunagu-org/tsunagu/internal/http"
	"github.com/tsunagu-org/tsunagu/internal/tsunagu"
)

func (h *Handlers) renderCompanyForm(c *gin.Context, co *tsunagu.Company, action string, err error) {
	data := gin.H{"Action": action, "ID": co.ID, "Vocab": vocab()}
	if err != nil {
		h.s.RenderForm(c, "company/edit", data, err)
		return
	}
	h.s.RenderFilled(c, "company/edit", data, thttp.FormFields(co))
}
