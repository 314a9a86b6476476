"""Load test: mixed role journeys against gunicorn on loopback (`make charge`).

Each simulated person logs in with a demo account, then browses as that role would. Bounded in
users and time by the command line (30 users, 2 minutes); the target is always 127.0.0.1."""

import random
import re

from locust import HttpUser, between, task
from locust.exception import StopUser

PASSWORD = "Demo-ASEA-2026"


class Professionnel(HttpUser):
    abstract = True
    wait_time = between(1, 3)
    username = ""
    voit_menages = True

    def on_start(self):
        # The form and the POST are measured apart, and the POST without the redirect it answers
        # with: its p95 is the login's own (charge/budgets.py).
        page = self.client.get("/comptes/connexion/", name="connexion (formulaire)")
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
        with self.client.post(
            "/comptes/connexion/",
            {"username": self.username, "password": PASSWORD, "csrfmiddlewaretoken": token},
            headers={"Referer": f"{self.host}/comptes/connexion/"},
            name="connexion (envoi)",
            allow_redirects=False,
            catch_response=True,
        ) as response:
            destination = response.headers.get("Location", "")
            connecte = response.status_code == 302 and not destination.startswith("/comptes/")
            if not connecte:
                response.failure(f"login failed for {self.username}: {response.status_code} {destination}")
        if not connecte:
            raise StopUser
        with self.client.get(destination, name="tableau de bord", catch_response=True) as accueil:
            if "Tableau de bord" not in accueil.text:
                accueil.failure(f"no dashboard after login for {self.username}")
        self.menages = []
        if self.voit_menages:
            liste = self.client.get("/menages/", name="liste").text
            self.menages = [int(pk) for pk in re.findall(r'href="/menages/(\d+)/"', liste)]

    def fiche(self):
        if self.menages:
            self.client.get(f"/menages/{random.choice(self.menages)}/", name="dossier")


class TravailleurSocial(Professionnel):
    weight = 4
    username = "ts.adaff"

    @task(3)
    def liste(self):
        self.client.get("/menages/?etat=accompagnement", name="liste filtrée")

    @task(2)
    def recherche(self):
        self.client.get(
            f"/menages/?q={random.choice(['martin', 'lefevre', 'helene', 'dubois'])}", name="recherche"
        )

    @task(4)
    def dossier(self):
        self.fiche()

    @task(1)
    def chronologie(self):
        if self.menages:
            self.client.get(f"/menages/{random.choice(self.menages)}/chronologie/", name="chronologie")

    @task(1)
    def mes_menages(self):
        self.client.get("/menages/?mes_menages=on", name="mes ménages")

    @task(1)
    def notifications(self):
        self.client.get("/notifications/", name="notifications")


class Cesf(Professionnel):
    weight = 2
    username = "cesf.habitat"

    @task(2)
    def tableau(self):
        self.client.get("/", name="tableau de bord")

    @task(3)
    def dossier(self):
        self.fiche()


class MembreComite(Professionnel):
    weight = 1
    username = "comite.cg"
    voit_menages = False

    @task
    def comites(self):
        page = self.client.get("/comites/", name="comités")
        seances = re.findall(r'href="(/comites/seances/\d+/)"', page.text)
        if seances:
            agenda = self.client.get(seances[0], name="ordre du jour")
            points = re.findall(r'href="(/comites/points/\d+/)"', agenda.text)
            if points:
                self.client.get(random.choice(points), name="résumé")


class Financeur(Professionnel):
    weight = 1
    username = "financeur.ddcspp"
    voit_menages = False

    @task
    def tableau(self):
        self.client.get("/", name="tableau de bord")
