# An association's invitations carry a way back that refuses that association's invitations only:
# a topic for them, and a scope on opt-outs, unsubscribe keys and emails.

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('outbox', '0007_topic_label'),
    ]

    operations = [
        migrations.RemoveConstraint(model_name='optout', name='one_optout_per_topic'),
        migrations.RemoveConstraint(model_name='unsubscribekey', name='one_unsubscribe_key_per_topic'),
        migrations.AddField(
            model_name='email',
            name='scope',
            field=models.CharField(blank=True, default='', max_length=40),
        ),
        migrations.AddField(
            model_name='optout',
            name='scope',
            field=models.CharField(blank=True, default='', max_length=40),
        ),
        migrations.AddField(
            model_name='unsubscribekey',
            name='scope',
            field=models.CharField(blank=True, default='', max_length=40),
        ),
        migrations.AlterField(
            model_name='email',
            name='topic',
            field=models.CharField(blank=True, choices=[('reminders', 'Rappels avant une rencontre'), ('plan_published', 'Plan de tables publié'), ('suggestions', "Suggestions et suites d'une rencontre"), ('digest', 'Résumé de la semaine'), ('personal', 'Courriels personnels envoyés via Tablée'), ('join_requests', "Demandes d'adhésion à mes associations (organisateurs)"), ('invitations', 'Invitations à rejoindre une association')], max_length=20),
        ),
        migrations.AlterField(
            model_name='optout',
            name='topic',
            field=models.CharField(choices=[('reminders', 'Rappels avant une rencontre'), ('plan_published', 'Plan de tables publié'), ('suggestions', "Suggestions et suites d'une rencontre"), ('digest', 'Résumé de la semaine'), ('personal', 'Courriels personnels envoyés via Tablée'), ('join_requests', "Demandes d'adhésion à mes associations (organisateurs)"), ('invitations', 'Invitations à rejoindre une association')], max_length=20),
        ),
        migrations.AlterField(
            model_name='unsubscribekey',
            name='topic',
            field=models.CharField(choices=[('reminders', 'Rappels avant une rencontre'), ('plan_published', 'Plan de tables publié'), ('suggestions', "Suggestions et suites d'une rencontre"), ('digest', 'Résumé de la semaine'), ('personal', 'Courriels personnels envoyés via Tablée'), ('join_requests', "Demandes d'adhésion à mes associations (organisateurs)"), ('invitations', 'Invitations à rejoindre une association')], max_length=20),
        ),
        migrations.AddConstraint(
            model_name='optout',
            constraint=models.UniqueConstraint(fields=('address', 'topic', 'scope'), name='one_optout_per_scope'),
        ),
        migrations.AddConstraint(
            model_name='unsubscribekey',
            constraint=models.UniqueConstraint(fields=('address', 'topic', 'scope'), name='one_unsubscribe_key_per_scope'),
        ),
    ]
