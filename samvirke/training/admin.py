from django.contrib import admin

from samvirke.training.models import MedLytBooking, MedLytSession, Qualification, TrainingRecord

admin.site.register(TrainingRecord)
admin.site.register(MedLytSession)
admin.site.register(MedLytBooking)
admin.site.register(Qualification)
