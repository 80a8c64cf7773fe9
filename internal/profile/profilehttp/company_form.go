package profilehttp

import (
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/tsunagu-org/tsunagu/internal/tsunagu"
)

func companyFromForm(c *gin.Context, co *tsunagu.Company) {
	get := func(k string) string { return strings.TrimSpace(c.PostForm(k)) }
	co.Name, co.Industry, co.Size, co.Prefecture = get("name"), get("industry"), get("size"), get("prefecture")
	co.ContactName, co.ContactEmail, co.ContactPhone = get("contact_name"), get("contact_email"), get("contact_phone")
}

func companyToForm(co *tsunagu.Company) map[string]string {
	return map[string]string{
		"name": co.Name, "industry": co.Industry, "size": co.Size, "prefecture": co.Prefecture,
		"contact_name": co.ContactName, "contact_email": co.ContactEmail, "contact_phone": co.ContactPhone,
	}
}

func (h *Handlers) renderCompanyForm(c *gin.Context, co *tsunagu.Company, action string, err error) {
	data := gin.H{"Action": action, "ID": co.ID, "Vocab": vocab()}
	if err != nil {
		h.s.RenderForm(c, "company/edit", data, err)
		return
	}
	h.s.RenderFilled(c, "company/edit", data, companyToForm(co))
}
